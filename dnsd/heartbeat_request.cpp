#include "dnsd/heartbeat_request.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "dnsd/health_check_spec.hpp"
#include "registry/names.hpp"

namespace dnsd {

namespace json = boost::json;

namespace {

using Error = std::optional<std::string>;

// JSON null counts as absent: clients that serialize empty optionals as null mean "not given".
const json::value* field(const json::object& object, std::string_view name) {
    const json::value* v = object.if_contains(name);
    return v != nullptr && !v->is_null() ? v : nullptr;
}

// JSON has a single number type: a client in a language without integers sends 30.0 for 30.
std::optional<std::int64_t> as_integer(const json::value& v) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) {
        if (v.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return static_cast<std::int64_t>(v.get_uint64());
    }
    if (v.is_double()) {
        const double d = v.get_double();
        constexpr double kExact = 9'007'199'254'740'992.0;  // 2^53: larger doubles skip integers
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= kExact)
            return static_cast<std::int64_t>(d);
    }
    return std::nullopt;
}

Error integer_in_range(const json::object& object, std::string_view name, std::int64_t low,
                       std::int64_t high, std::int64_t& out) {
    const json::value* v = field(object, name);
    if (v == nullptr) return std::nullopt;  // keep the default already in `out`
    const auto n = as_integer(*v);
    if (!n || *n < low || *n > high)
        return "field '" + std::string(name) + "' must be an integer from " + std::to_string(low) +
               " to " + std::to_string(high);
    out = *n;
    return std::nullopt;
}

Error label(const json::object& object, std::string_view name, std::string& out) {
    const json::value* v = field(object, name);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string() || !registry::is_valid_label(v->get_string()))
        return "field '" + std::string(name) +
               "' must be a DNS label: letters, digits and '-', 1 to 63 characters";
    out = registry::canonical_label(v->get_string());
    return std::nullopt;
}

Error read_service(const json::object& object, registry::InstanceSpec& spec) {
    if (field(object, "service") == nullptr) return "field 'service' is required";
    if (auto e = label(object, "service", spec.service)) return e;
    // The nodes' own entries: a heartbeat could otherwise add a name server or replace a node.
    if (spec.service == registry::kNodeService)
        return "service '" + std::string(registry::kNodeService) + "' is reserved for the dnsd nodes themselves";
    return std::nullopt;
}

Error read_port(const json::object& object, registry::InstanceSpec& spec) {
    if (field(object, "port") == nullptr) return "field 'port' is required";
    std::int64_t port = 0;
    if (auto e = integer_in_range(object, "port", 1, 65535, port)) return e;
    spec.port = static_cast<std::uint16_t>(port);
    return std::nullopt;
}

Error read_address(const json::object& object, const registry::IpAddress& peer,
                   registry::InstanceSpec& spec) {
    const json::value* v = field(object, "address");
    if (v == nullptr) {
        spec.address = peer;
        return std::nullopt;
    }
    const auto parsed = v->is_string() ? registry::IpAddress::parse(v->get_string()) : std::nullopt;
    if (!parsed) return "field 'address' must be an IPv4 or IPv6 address literal";
    // 0.0.0.0 or :: in an A/AAAA answer would send clients to themselves.
    if (*parsed == registry::IpAddress::v4({}) || *parsed == registry::IpAddress::v6({}))
        return "field 'address' must not be the unspecified address (0.0.0.0 or ::)";
    spec.address = *parsed;
    return std::nullopt;
}

// Needs address and port: the default id is derived from them, e.g. "10-0-0-3-8861".
Error read_id(const json::object& object, registry::InstanceSpec& spec) {
    if (field(object, "id") == nullptr) {
        spec.id = spec.address.to_label() + "-" + std::to_string(spec.port);
        return std::nullopt;
    }
    return label(object, "id", spec.id);
}

Error read_ttl(const json::object& object, std::int64_t lease_s, registry::InstanceSpec& spec) {
    std::int64_t ttl_s = lease_s;
    if (auto e = integer_in_range(object, "ttl", 1, kMaxTtlSeconds, ttl_s)) return e;
    spec.ttl_ms = ttl_s * 1000;
    return std::nullopt;
}

Error read_weights(const json::object& object, registry::InstanceSpec& spec) {
    std::int64_t weight = 100;
    std::int64_t priority = 0;
    if (auto e = integer_in_range(object, "weight", 0, 65535, weight)) return e;
    if (auto e = integer_in_range(object, "priority", 0, 65535, priority)) return e;
    spec.weight = static_cast<std::uint16_t>(weight);
    spec.priority = static_cast<std::uint16_t>(priority);
    return std::nullopt;
}

Error read_version(const json::object& object, registry::InstanceSpec& spec) {
    const json::value* v = field(object, "version");
    if (v == nullptr) return std::nullopt;
    if (!v->is_string() || v->get_string().size() > kMaxVersionBytes)
        return "field 'version' must be a string of at most " + std::to_string(kMaxVersionBytes) +
               " bytes";
    spec.version = v->get_string();
    return std::nullopt;
}

// Each entry becomes the TXT string "key=value": the key cannot hold '=' and the whole must
// fit one TXT string.
Error read_meta(const json::object& object, registry::InstanceSpec& spec) {
    const json::value* v = field(object, "meta");
    if (v == nullptr) return std::nullopt;
    if (!v->is_object()) return "field 'meta' must be an object with string values";
    for (const auto& entry : v->get_object()) {
        const std::string key(entry.key());
        if (key.empty() || key.find('=') != std::string::npos)
            return "field 'meta' has key '" + key + "': keys must be non-empty and without '='";
        if (!entry.value().is_string())
            return "field 'meta' has key '" + key + "' whose value is not a string";
        const std::string value(entry.value().get_string());
        if (key.size() + 1 + value.size() > kMaxTxtString)
            return "field 'meta' has key '" + key + "' too long: key=value must fit in " +
                   std::to_string(kMaxTxtString) + " bytes";
        spec.meta.emplace(key, value);
    }
    return std::nullopt;
}

// Unix seconds, possibly fractional, on the instance's own clock; kept in milliseconds.
Error read_timestamp(const json::object& object, std::optional<std::int64_t>& src_ts_ms) {
    const json::value* v = field(object, "timestamp");
    if (v == nullptr) return std::nullopt;
    // Year 10000: far beyond any real clock, and small enough that milliseconds fit in int64.
    constexpr double kMaxSeconds = 253'402'300'800.0;
    double seconds = -1;
    if (v->is_int64()) seconds = static_cast<double>(v->get_int64());
    if (v->is_uint64()) seconds = static_cast<double>(v->get_uint64());
    if (v->is_double()) seconds = v->get_double();
    if (!(seconds > 0 && seconds < kMaxSeconds))
        return std::string("field 'timestamp' must be a positive number of seconds since the Unix "
                           "epoch");
    src_ts_ms = std::llround(seconds * 1000.0);
    return std::nullopt;
}

// After read_ttl: an instance with a check holds a lease of at least a few check intervals,
// because the probing node's renewals keep it alive (see check_min_lease_ms).
Error read_check(const json::object& object, registry::InstanceSpec& spec) {
    const json::value* v = field(object, "check");
    if (v == nullptr) return std::nullopt;
    auto parsed = parse_health_check(*v);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    spec.check = std::get<registry::HealthCheck>(std::move(parsed));
    spec.ttl_ms = std::max(spec.ttl_ms, check_min_lease_ms(spec.check));
    return std::nullopt;
}

std::variant<Heartbeat, std::string> read_one(const json::value& value,
                                              const registry::IpAddress& peer,
                                              const HeartbeatDefaults& defaults) {
    if (!value.is_object()) return std::string("a heartbeat must be a JSON object");
    const json::object& object = value.get_object();
    Heartbeat hb;
    registry::InstanceSpec& spec = hb.spec;
    spec.node = defaults.node;
    // The first broken rule is reported; id comes after address and port, its defaults.
    if (Error e = read_service(object, spec)) return *e;
    if (Error e = read_port(object, spec)) return *e;
    if (Error e = read_address(object, peer, spec)) return *e;
    if (Error e = read_id(object, spec)) return *e;
    if (Error e = read_ttl(object, defaults.lease_s, spec)) return *e;
    if (Error e = read_weights(object, spec)) return *e;
    if (Error e = read_version(object, spec)) return *e;
    if (Error e = read_meta(object, spec)) return *e;
    if (Error e = read_timestamp(object, hb.src_ts_ms)) return *e;
    if (Error e = read_check(object, spec)) return *e;
    return hb;
}

}  // namespace

HeartbeatParse parse_heartbeat(std::string_view body, const registry::IpAddress& peer,
                               const HeartbeatDefaults& defaults) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return HeartbeatError{"the body is empty: send a JSON heartbeat object"};
    // The document lives only while it is read into specs: a monotonic arena (a stack buffer
    // first, the heap past it for big batches) spares one allocation per JSON node, which
    // was a large share of a heartbeat's cost (bench/http).
    unsigned char arena[4096];
    json::monotonic_resource memory(arena, sizeof arena);
    boost::system::error_code ec;
    const json::value root = json::parse(body, ec, &memory);
    if (ec) return HeartbeatError{"the body is not valid JSON: " + ec.message()};

    HeartbeatRequest request;
    if (root.is_object()) {
        auto one = read_one(root, peer, defaults);
        if (auto* error = std::get_if<std::string>(&one)) return HeartbeatError{*error};
        request.heartbeats.push_back(std::move(std::get<Heartbeat>(one)));
        return request;
    }
    if (!root.is_array())
        return HeartbeatError{"the body must be a JSON object or an array of objects"};

    const json::array& items = root.get_array();
    if (items.empty()) return HeartbeatError{"the array holds no heartbeat: send at least one"};
    request.batch = true;
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto one = read_one(items[i], peer, defaults);
        // All or nothing: one bad element rejects the whole request.
        if (auto* error = std::get_if<std::string>(&one))
            return HeartbeatError{"element [" + std::to_string(i) + "]: " + *error};
        request.heartbeats.push_back(std::move(std::get<Heartbeat>(one)));
    }
    return request;
}

}  // namespace dnsd
