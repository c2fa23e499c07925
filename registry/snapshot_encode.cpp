#include "registry/snapshot_encode.hpp"

#include <charconv>
#include <cstdint>
#include <map>
#include <string_view>

#include "registry/snapshot_format.hpp"

namespace dnsd::registry {

namespace {

namespace key = snapshot_key;

// A rough size per instance, so that the text grows in few reallocations.
constexpr std::size_t bytes_per_instance_guess = 256;

bool needs_escape(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

// RFC 8259 string escaping. Bytes >= 0x80 pass through: the strings came in as UTF-8 JSON.
void append_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t plain_from = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (!needs_escape(c)) continue;
        out.append(s.substr(plain_from, i - plain_from));
        plain_from = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                constexpr char hex[] = "0123456789abcdef";
                const auto byte = static_cast<unsigned char>(c);
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
            }
        }
    }
    out.append(s.substr(plain_from));
    out += '"';
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
    out.append(buf, end);
}

// `"key":` with the separator that precedes every member but the first.
void append_key(std::string& out, std::string_view name, bool first = false) {
    if (!first) out += ',';
    append_string(out, name);
    out += ':';
}

void append_meta(std::string& out, const MetaMap& meta) {
    out += '{';
    bool first = true;
    for (const auto& [name, value] : meta) {
        append_key(out, name, first);
        append_string(out, value);
        first = false;
    }
    out += '}';
}

// The health-check fields, only for an instance that has a check or is critical: files of
// instances without them stay as they were, and dnsd versions before checks skip them.
void append_health(std::string& out, const InstanceSpec& s) {
    if (s.check->present()) {
        append_key(out, health_key::check_kind);
        append_string(out, to_string(s.check->kind));
        append_key(out, health_key::check_target);
        append_string(out, s.check->target);
        append_key(out, health_key::check_interval_ms);
        append_integer(out, s.check->interval_ms);
        append_key(out, health_key::check_timeout_ms);
        append_integer(out, s.check->timeout_ms);
        append_key(out, health_key::check_deregister_after_ms);
        append_integer(out, s.check->deregister_after_ms);
    }
    if (s.health->critical()) {
        append_key(out, health_key::health);
        append_string(out, to_string(s.health->status));
        append_key(out, health_key::health_output);
        append_string(out, s.health->output);
        append_key(out, health_key::critical_since_ms);
        append_integer(out, s.health->critical_since_ms);
    }
}

void append_instance(std::string& out, const SnapshotInstance& inst) {
    const InstanceSpec& s = inst.spec;
    out += '{';
    append_key(out, key::service, true);
    append_string(out, s.service);
    append_key(out, key::id);
    append_string(out, s.id);
    append_key(out, key::address);
    append_string(out, s.address.to_string());
    append_key(out, key::port);
    append_integer(out, s.port);
    append_key(out, key::version);
    append_string(out, s.version);
    append_key(out, key::weight);
    append_integer(out, s.weight);
    append_key(out, key::priority);
    append_integer(out, s.priority);
    append_key(out, key::meta);
    append_meta(out, s.meta);
    append_key(out, key::ttl_ms);
    append_integer(out, s.ttl_ms);
    append_key(out, key::node);
    append_string(out, s.node);
    append_key(out, key::src_ts_ms);
    append_integer(out, inst.src_ts_ms);
    append_key(out, key::remaining_ms);
    append_integer(out, inst.remaining_ms);
    append_health(out, s);
    out += '}';
}

void append_tombstone(std::string& out, const SnapshotTombstone& t) {
    out += '{';
    append_key(out, key::service, true);
    append_string(out, t.key.first);
    append_key(out, key::id);
    append_string(out, t.key.second);
    append_key(out, key::src_ts_ms);
    append_integer(out, t.src_ts_ms);
    append_key(out, key::age_ms);
    append_integer(out, t.age_ms);
    out += '}';
}

void append_known_service(std::string& out, const SnapshotKnownService& k) {
    out += '{';
    append_key(out, key::service, true);
    append_string(out, k.service);
    append_key(out, key::idle_ms);
    append_integer(out, k.idle_ms);
    out += '}';
}

// Opens a top-level array; each element goes on its own line.
class ArrayWriter {
public:
    ArrayWriter(std::string& out, std::string_view name) : out_(out) {
        append_key(out_, name);
        out_ += '[';
    }
    ~ArrayWriter() { out_ += first_ ? "]" : "\n]"; }
    ArrayWriter(const ArrayWriter&) = delete;
    ArrayWriter& operator=(const ArrayWriter&) = delete;

    std::string& next() {
        out_ += first_ ? "\n" : ",\n";
        first_ = false;
        return out_;
    }

private:
    std::string& out_;
    bool first_ = true;
};

}  // namespace

SnapshotData capture_snapshot(const Registry& registry) {
    const MonoMs now = registry.clock().mono_ms();
    SnapshotData data;
    data.written_wall_ms = registry.clock().wall_ms();
    data.index = registry.index();
    data.instances.reserve(registry.instance_count());
    for (const auto& [name, service] : registry.services()) {
        if (service.instances.empty()) data.known_services.push_back({name, now - service.last_live});
        // An instance past its lease that sweep() has not removed yet is written as it is
        // (negative remaining): the loader then counts it as expired and keeps its service known.
        for (const auto& [id, inst] : service.instances)
            data.instances.push_back({inst.spec, inst.src_ts_ms, inst.remaining_ms(now)});
    }
    data.tombstones.reserve(registry.tombstones().size());
    for (const auto& [k, tomb] : registry.tombstones())
        data.tombstones.push_back({k, tomb.src_ts_ms, now - tomb.rcv_ts});
    return data;
}

std::string encode_snapshot(const SnapshotData& data) {
    std::string out;
    out.reserve(256 + data.instances.size() * bytes_per_instance_guess);

    out += '{';
    append_key(out, key::format_version, true);
    append_integer(out, snapshot_format_version);
    append_key(out, key::written_wall_ms);
    append_integer(out, data.written_wall_ms);
    append_key(out, key::index);
    append_integer(out, data.index);
    {
        ArrayWriter array(out, key::instances);
        for (const SnapshotInstance& inst : data.instances) append_instance(array.next(), inst);
    }
    {
        ArrayWriter array(out, key::tombstones);
        for (const SnapshotTombstone& t : data.tombstones) append_tombstone(array.next(), t);
    }
    {
        ArrayWriter array(out, key::known_services);
        for (const SnapshotKnownService& k : data.known_services) append_known_service(array.next(), k);
    }
    out += "}\n";
    return out;
}

std::string encode_snapshot(const Registry& registry) {
    return encode_snapshot(capture_snapshot(registry));
}

}  // namespace dnsd::registry
