#include "registry/snapshot_handler.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <limits>
#include <numeric>
#include <span>
#include <type_traits>
#include <utility>

namespace dnsd::registry {

namespace {

namespace key = snapshot_key;
namespace limit = snapshot_limit;

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t u16_max = std::numeric_limits<std::uint16_t>::max();

// Field names per level, in the order a missing one is reported; an enum indexes each list.
// clang-format off
enum RootField {
    r_format_version, r_written_wall_ms, r_index, r_instances, r_tombstones, r_known_services
};
constexpr std::array<std::string_view, 6> root_fields{
    key::format_version, key::written_wall_ms, key::index,
    key::instances,      key::tombstones,      key::known_services};

enum InstanceField {
    i_service, i_id, i_address, i_port, i_version, i_weight,
    i_priority, i_meta, i_ttl_ms, i_node, i_src_ts_ms, i_remaining_ms,
    // Optional (files written before health checks have none): counted as seen from the start.
    i_check_kind, i_check_target, i_check_interval_ms, i_check_timeout_ms,
    i_check_deregister_after_ms, i_health, i_health_output, i_critical_since_ms
};
constexpr std::array<std::string_view, 20> instance_fields{
    key::service,  key::id,   key::address,    key::port,   key::version,   key::weight,
    key::priority, key::meta, key::ttl_ms,     key::node,   key::src_ts_ms, key::remaining_ms,
    health_key::check_kind, health_key::check_target, health_key::check_interval_ms,
    health_key::check_timeout_ms, health_key::check_deregister_after_ms, health_key::health,
    health_key::health_output, health_key::critical_since_ms};
constexpr std::uint32_t optional_instance_fields = ~((1u << i_check_kind) - 1);

enum TombstoneField { t_service, t_id, t_src_ts_ms, t_age_ms };
constexpr std::array<std::string_view, 4> tombstone_fields{key::service, key::id, key::src_ts_ms,
                                                           key::age_ms};

enum KnownServiceField { k_service, k_idle_ms };
constexpr std::array<std::string_view, 2> known_service_fields{key::service, key::idle_ms};
// clang-format on

// `likely` first: the writer puts the fields in list order, so a file it wrote costs one
// comparison per key instead of a search (the search was a tenth of the load time).
int find_field(std::span<const std::string_view> names, std::string_view name, int likely = -1) {
    if (likely >= 0 && static_cast<std::size_t>(likely) < names.size() &&
        names[static_cast<std::size_t>(likely)] == name)
        return likely;
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

// The first field of `names` whose bit is not set in `seen`, if any.
int first_missing(std::span<const std::string_view> names, std::uint32_t seen) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (!(seen & (1u << i))) return static_cast<int>(i);
    return -1;
}

bool key_less(const SnapshotInstance& a, const SnapshotInstance& b) {
    const int by_service = a.spec.service.compare(b.spec.service);
    return by_service != 0 ? by_service < 0 : a.spec.id < b.spec.id;
}

std::optional<CheckKind> as_check_kind(const JsonScalar& v) {
    if (v.kind == JsonScalar::Kind::string && v.text == "http") return CheckKind::http;
    if (v.kind == JsonScalar::Kind::string && v.text == "tcp") return CheckKind::tcp;
    return std::nullopt;
}

std::optional<Health> as_health(const JsonScalar& v) {
    if (v.kind == JsonScalar::Kind::string && v.text == "passing") return Health::passing;
    if (v.kind == JsonScalar::Kind::string && v.text == "critical") return Health::critical;
    return std::nullopt;
}

JsonScalar container(JsonScalar::Kind kind) {
    JsonScalar v;
    v.kind = kind;
    return v;
}

}  // namespace

// ---- where we are, for messages --------------------------------------------------------------

std::string_view SnapshotHandler::section_name() const {
    switch (section_) {
        case Section::instances: return key::instances;
        case Section::tombstones: return key::tombstones;
        case Section::known_services: return key::known_services;
    }
    return {};
}

std::span<const std::string_view> SnapshotHandler::entry_fields() const {
    switch (section_) {
        case Section::instances: return instance_fields;
        case Section::tombstones: return tombstone_fields;
        case Section::known_services: return known_service_fields;
    }
    return {};
}

std::string_view SnapshotHandler::field_name() const {
    if (key_ < 0) return {};
    const auto at = static_cast<std::size_t>(key_);
    return depth_ == 1 ? root_fields[at] : entry_fields()[at];
}

std::string SnapshotHandler::entry_path() const {
    return std::string(section_name()) + "[" + std::to_string(element_) + "]";
}

std::string SnapshotHandler::field_path() const {
    if (depth_ == 1) return std::string(field_name());
    return entry_path() + "." + std::string(field_name());
}

// ---- failing ---------------------------------------------------------------------------------

bool SnapshotHandler::abort(error_code& ec) {
    aborted_ = true;
    ec = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    return false;
}

bool SnapshotHandler::fail(std::string message, error_code& ec, bool opening_container) {
    if (error_.empty()) error_ = std::move(message);
    if (version_ok_ || depth_ == 0) return abort(ec);
    // format_version may still come, and a file of another version must be refused as such:
    // read on, passing over everything except top-level fields.
    failed_ = true;
    skip_ = depth_ - 1 + (opening_container ? 1 : 0);
    depth_ = 1;
    return true;
}

bool SnapshotHandler::mismatch(std::string path, std::string_view wanted, const JsonScalar& found,
                               error_code& ec) {
    const bool opening =
        found.kind == JsonScalar::Kind::object || found.kind == JsonScalar::Kind::array;
    return fail(path + " must be " + std::string(wanted) + ", not " + shown(found), ec, opening);
}

template <typename T, typename U>
bool SnapshotHandler::store(T& out, std::optional<U>&& checked, std::string_view wanted,
                            const JsonScalar& value, error_code& ec) {
    if (!checked) return mismatch(field_path(), wanted, value, ec);
    if constexpr (std::is_same_v<T, std::string> && std::is_same_v<U, std::string_view>)
        out.assign(*checked);  // into the string's own buffer: no temporary string
    else
        out = static_cast<T>(std::move(*checked));
    if (depth_ == 1)
        root_seen_ |= 1u << key_;
    else
        seen_ |= 1u << key_;
    return true;
}

bool SnapshotHandler::store_label(std::string& out, const JsonScalar& value, error_code& ec) {
    if (!assign_label(out, value)) return mismatch(field_path(), wanted::label, value, ec);
    seen_ |= 1u << key_;
    return true;
}

template <typename T>
bool SnapshotHandler::store_integer(T& out, const JsonScalar& value, std::int64_t lo,
                                    std::int64_t hi, error_code& ec) {
    auto checked = as_integer(value, lo, hi);
    // The message is built only on failure: this runs for every number of every entry.
    if (!checked) return mismatch(field_path(), wanted::integer(lo, hi), value, ec);
    return store(out, std::move(checked), {}, value, ec);
}

// ---- structure -------------------------------------------------------------------------------

bool SnapshotHandler::open(JsonScalar::Kind kind, error_code& ec) {
    const bool object = kind == JsonScalar::Kind::object;
    if (skip_ > 0) {
        ++skip_;
        return true;
    }
    switch (depth_) {
        case 0:
            if (!object) return fail("the file must hold a JSON object, not an array", ec);
            depth_ = 1;
            return true;
        case 1:
            if (key_ < 0 || (failed_ && key_ != r_format_version)) break;
            if (key_ == r_instances || key_ == r_tombstones || key_ == r_known_services) {
                if (object) return mismatch(field_path(), wanted::array, container(kind), ec);
                section_ = key_ == r_instances    ? Section::instances
                           : key_ == r_tombstones ? Section::tombstones
                                                  : Section::known_services;
                root_seen_ |= 1u << key_;
                element_ = 0;
                depth_ = 2;
                return true;
            }
            return root_value(container(kind), ec);
        case 2:
            if (!object) return mismatch(entry_path(), wanted::object, container(kind), ec);
            start_entry();
            depth_ = 3;
            return true;
        case 3:
            if (key_ < 0) break;
            if (object && section_ == Section::instances && key_ == i_meta) {
                instance_->spec.meta.clear();
                seen_ |= 1u << i_meta;
                depth_ = 4;
                return true;
            }
            return entry_value(container(kind), ec);
        default: return meta_value(container(kind), ec);
    }
    skip_ = 1;  // the value of a field this version does not know
    return true;
}

bool SnapshotHandler::close(error_code& ec) {
    if (skip_ > 0) {
        --skip_;
        return true;
    }
    switch (depth_) {
        case 4: depth_ = 3; return true;
        case 3: depth_ = 2; return finish_entry(ec);
        case 2: depth_ = 1; return true;
        default: depth_ = 0; return finish_root(ec);
    }
}

void SnapshotHandler::start_entry() {
    seen_ = 0;
    key_ = -1;
    next_key_ = 0;
    switch (section_) {
        case Section::instances:
            // Decoded in place, in the list: no copy of the entry once it is complete.
            instance_ = &data_.instances.emplace_back();
            seen_ = optional_instance_fields;
            break;
        case Section::tombstones: tombstone_ = {}; break;
        case Section::known_services: known_service_ = {}; break;
    }
}

bool SnapshotHandler::finish_entry(error_code& ec) {
    const auto names = entry_fields();
    if (const int missing = first_missing(names, seen_); missing >= 0)
        return fail(entry_path() + "." + std::string(names[missing]) + " is missing", ec);
    switch (section_) {
        case Section::instances:
            // The writer measured it as lease end minus now, so it never exceeds the lease.
            if (instance_->remaining_ms > instance_->spec.ttl_ms) {
                const std::string wanted =
                    wanted::integer(-limit::max_duration_ms, instance_->spec.ttl_ms);
                return fail(entry_path() + "." + std::string(key::remaining_ms) + " must be " +
                                wanted + ", not " + std::to_string(instance_->remaining_ms),
                            ec);
            }
            break;
        case Section::tombstones: data_.tombstones.push_back(std::move(tombstone_)); break;
        case Section::known_services:
            data_.known_services.push_back(std::move(known_service_));
            break;
    }
    ++element_;
    return true;
}

bool SnapshotHandler::finish_root(error_code& ec) {
    if (!(root_seen_ & (1u << r_format_version))) {
        error_ = std::string(key::format_version) +
                 " is missing: this file is not a dnsd registry snapshot";
        return abort(ec);
    }
    if (failed_) return abort(ec);  // (unreachable: a good version ends the reading at once)
    if (defer_document_checks_) return true;
    std::string problem = root_problem(root_seen_, data_);
    if (problem.empty()) return true;
    error_ = std::move(problem);
    return abort(ec);
}

std::string SnapshotHandler::root_problem(std::uint32_t root_seen, const SnapshotData& data) {
    if (!(root_seen & (1u << r_format_version)))
        return std::string(key::format_version) +
               " is missing: this file is not a dnsd registry snapshot";
    if (const int missing = first_missing(root_fields, root_seen); missing >= 0)
        return std::string(root_fields[static_cast<std::size_t>(missing)]) + " is missing";

    // Two entries for one (service, id) mean the file was not written by dnsd. The writer
    // emits keys in strictly increasing order, so the common case costs one comparison per
    // entry; only a file in another order (edited by hand) pays for a sort.
    const auto& list = data.instances;
    bool strictly_increasing = true;
    for (std::size_t i = 1; i < list.size() && strictly_increasing; ++i)
        strictly_increasing = key_less(list[i - 1], list[i]);
    if (strictly_increasing) return {};

    std::vector<std::size_t> order(list.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return key_less(list[a], list[b]); });
    for (std::size_t i = 1; i < order.size(); ++i) {
        const SnapshotInstance& first = list[order[i - 1]];
        if (key_less(first, list[order[i]])) continue;
        return std::string(key::instances) + "[" + std::to_string(order[i]) +
               "] repeats the instance " + first.spec.service + "/" + first.spec.id + " of " +
               std::string(key::instances) + "[" + std::to_string(order[i - 1]) + "]";
    }
    return {};
}

// ---- parts of a file -------------------------------------------------------------------------

namespace {
template <typename T>
void append_moved(std::vector<T>& into, std::vector<T>&& from) {
    if (into.empty() && into.capacity() < from.size()) {
        into = std::move(from);
        return;
    }
    into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}
}  // namespace

void SnapshotHandler::append_part(SnapshotData& into, std::uint32_t& into_seen,
                                  SnapshotData&& part, std::uint32_t part_seen) {
    if (part_seen & (1u << r_written_wall_ms)) into.written_wall_ms = part.written_wall_ms;
    if (part_seen & (1u << r_index)) into.index = part.index;
    into_seen |= part_seen;
    append_moved(into.instances, std::move(part.instances));
    append_moved(into.tombstones, std::move(part.tombstones));
    append_moved(into.known_services, std::move(part.known_services));
}

void SnapshotHandler::resume_inside_instances() {
    version_ok_ = true;
    root_seen_ |= 1u << r_format_version;
    defer_document_checks_ = true;
}

bool SnapshotHandler::between_instances() const {
    return depth_ == 2 && skip_ == 0 && section_ == Section::instances && element_ > 0 &&
           version_ok_ && !failed_ && !aborted_ && error_.empty();
}

// ---- values ----------------------------------------------------------------------------------

bool SnapshotHandler::scalar(const JsonScalar& value, error_code& ec) {
    if (skip_ > 0) return true;
    switch (depth_) {
        case 0: return fail("the file must hold a JSON object, not " + shown(value), ec);
        case 1: return root_value(value, ec);
        case 2: return mismatch(entry_path(), wanted::object, value, ec);
        case 3: return entry_value(value, ec);
        default: return meta_value(value, ec);
    }
}

bool SnapshotHandler::root_value(const JsonScalar& value, error_code& ec) {
    if (key_ == r_format_version) return check_version(value, ec);
    if (failed_) return true;
    switch (key_) {
        case r_written_wall_ms:
            return store_integer(data_.written_wall_ms, value, 0, limit::max_duration_ms, ec);
        case r_index:
            return store(data_.index, as_unsigned(value), wanted::unsigned_integer, value, ec);
        case r_instances:
        case r_tombstones:
        case r_known_services: return mismatch(field_path(), wanted::array, value, ec);
        default: return true;  // a field this version does not know
    }
}

bool SnapshotHandler::check_version(const JsonScalar& value, error_code& ec) {
    if (value.kind == JsonScalar::Kind::int64 && value.int64 == snapshot_format_version) {
        version_ok_ = true;
        root_seen_ |= 1u << r_format_version;
        return failed_ ? abort(ec) : true;  // a problem found earlier stands
    }
    error_ = std::string(key::format_version) + " is " + shown(value) +
             ", but this dnsd reads only version " + std::to_string(snapshot_format_version) +
             " (was the file written by another version of dnsd?)";
    return abort(ec);
}

bool SnapshotHandler::entry_value(const JsonScalar& value, error_code& ec) {
    if (key_ < 0) return true;  // a field this version does not know
    switch (section_) {
        case Section::instances: return instance_value(value, ec);
        case Section::tombstones: return tombstone_value(value, ec);
        case Section::known_services: return known_service_value(value, ec);
    }
    return true;
}

bool SnapshotHandler::instance_value(const JsonScalar& v, error_code& ec) {
    InstanceSpec& s = instance_->spec;
    switch (key_) {
        case i_service: return store_label(s.service, v, ec);
        case i_id: return store_label(s.id, v, ec);
        case i_address: return store(s.address, as_address(v), wanted::address, v, ec);
        case i_port: return store_integer(s.port, v, 1, u16_max, ec);
        case i_version: return store(s.version, as_string(v), wanted::string, v, ec);
        case i_weight: return store_integer(s.weight, v, 0, u16_max, ec);
        case i_priority: return store_integer(s.priority, v, 0, u16_max, ec);
        case i_meta: return mismatch(field_path(), wanted::string_map, v, ec);
        case i_ttl_ms: return store_integer(s.ttl_ms, v, limit::min_ttl_ms, limit::max_ttl_ms, ec);
        case i_node: return store(s.node, as_string(v), wanted::string, v, ec);
        case i_src_ts_ms: return store_integer(instance_->src_ts_ms, v, int64_min, int64_max, ec);
        case i_remaining_ms:
            // The upper bound, the lease itself, is checked once the entry is complete.
            return store_integer(instance_->remaining_ms, v, -limit::max_duration_ms,
                                 limit::max_ttl_ms, ec);
        case i_check_kind: return store(s.check.edit().kind, as_check_kind(v), "\"http\" or \"tcp\"", v, ec);
        case i_check_target: return store(s.check.edit().target, as_string(v), wanted::string, v, ec);
        case i_check_interval_ms: return store_integer(s.check.edit().interval_ms, v, 1, limit::max_ttl_ms, ec);
        case i_check_timeout_ms: return store_integer(s.check.edit().timeout_ms, v, 1, limit::max_ttl_ms, ec);
        case i_check_deregister_after_ms:
            return store_integer(s.check.edit().deregister_after_ms, v, 0, limit::max_duration_ms, ec);
        case i_health:
            return store(s.health.edit().status, as_health(v), "\"passing\" or \"critical\"", v, ec);
        case i_health_output: return store(s.health.edit().output, as_string(v), wanted::string, v, ec);
        case i_critical_since_ms:
            return store_integer(s.health.edit().critical_since_ms, v, 0, limit::max_duration_ms, ec);
        default: return true;
    }
}

bool SnapshotHandler::tombstone_value(const JsonScalar& v, error_code& ec) {
    switch (key_) {
        case t_service: return store(tombstone_.key.first, as_label(v), wanted::label, v, ec);
        case t_id: return store(tombstone_.key.second, as_label(v), wanted::label, v, ec);
        case t_src_ts_ms: return store_integer(tombstone_.src_ts_ms, v, int64_min, int64_max, ec);
        case t_age_ms: return store_integer(tombstone_.age_ms, v, 0, limit::max_duration_ms, ec);
        default: return true;
    }
}

bool SnapshotHandler::known_service_value(const JsonScalar& v, error_code& ec) {
    switch (key_) {
        case k_service: return store(known_service_.service, as_label(v), wanted::label, v, ec);
        case k_idle_ms:
            return store_integer(known_service_.idle_ms, v, 0, limit::max_duration_ms, ec);
        default: return true;
    }
}

bool SnapshotHandler::meta_value(const JsonScalar& value, error_code& ec) {
    if (value.kind != JsonScalar::Kind::string)
        return mismatch(field_path() + "." + meta_key_, wanted::string, value, ec);
    instance_->spec.meta.insert_or_assign(meta_key_, std::string(value.text));
    return true;
}

// ---- parser events ---------------------------------------------------------------------------

bool SnapshotHandler::on_key_part(string_view s, std::size_t, error_code&) {
    key_buf_.append(s.data(), s.size());
    return true;
}

bool SnapshotHandler::on_key(string_view s, std::size_t, error_code&) {
    std::string_view name(s.data(), s.size());
    if (!key_buf_.empty()) {
        key_buf_.append(name);
        name = key_buf_;
    }
    if (skip_ == 0) {
        if (depth_ == 1) {
            key_ = find_field(root_fields, name);
        } else if (depth_ == 3) {
            key_ = find_field(entry_fields(), name, next_key_);
            if (key_ >= 0) next_key_ = key_ + 1;
        } else if (depth_ == 4) {
            meta_key_.assign(name);
        }
    }
    key_buf_.clear();
    return true;
}

bool SnapshotHandler::on_string_part(string_view s, std::size_t, error_code&) {
    string_buf_.append(s.data(), s.size());
    return true;
}

bool SnapshotHandler::on_string(string_view s, std::size_t, error_code& ec) {
    JsonScalar v;
    v.kind = JsonScalar::Kind::string;
    v.text = std::string_view(s.data(), s.size());
    if (!string_buf_.empty()) {
        string_buf_.append(v.text);
        v.text = string_buf_;
    }
    const bool ok = scalar(v, ec);
    string_buf_.clear();
    return ok;
}

bool SnapshotHandler::on_number_part(string_view s, error_code&) {
    number_buf_.append(s.data(), s.size());
    return true;
}

namespace {
// The number's text, whole even when it came in pieces.
std::string_view number_text(std::string& buf, boost::json::string_view last) {
    if (buf.empty()) return {last.data(), last.size()};
    buf.append(last.data(), last.size());
    return buf;
}
}  // namespace

bool SnapshotHandler::on_int64(std::int64_t i, string_view s, error_code& ec) {
    JsonScalar v;
    v.kind = JsonScalar::Kind::int64;
    v.int64 = i;
    v.text = number_text(number_buf_, s);
    const bool ok = scalar(v, ec);
    number_buf_.clear();
    return ok;
}

bool SnapshotHandler::on_uint64(std::uint64_t u, string_view s, error_code& ec) {
    JsonScalar v;
    v.kind = JsonScalar::Kind::uint64;
    v.uint64 = u;
    v.text = number_text(number_buf_, s);
    const bool ok = scalar(v, ec);
    number_buf_.clear();
    return ok;
}

bool SnapshotHandler::on_double(double, string_view s, error_code& ec) {
    JsonScalar v;
    v.kind = JsonScalar::Kind::number;
    v.text = number_text(number_buf_, s);
    const bool ok = scalar(v, ec);
    number_buf_.clear();
    return ok;
}

bool SnapshotHandler::on_bool(bool b, error_code& ec) {
    JsonScalar v;
    v.kind = JsonScalar::Kind::boolean;
    v.boolean = b;
    return scalar(v, ec);
}

bool SnapshotHandler::on_null(error_code& ec) {
    return scalar(JsonScalar{}, ec);
}

}  // namespace dnsd::registry
