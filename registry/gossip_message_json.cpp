#include "registry/gossip_message_json.hpp"

#include <limits>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "registry/names.hpp"

namespace dnsd::registry {

namespace json = boost::json;

namespace {

// One vocabulary for both directions.
namespace key {
constexpr std::string_view type = "type";
constexpr std::string_view sender = "sender";
constexpr std::string_view name = "node";
constexpr std::string_view address = "address";
constexpr std::string_view incarnation = "incarnation";
constexpr std::string_view seq = "seq";
constexpr std::string_view index = "index";
constexpr std::string_view peers = "peers";
constexpr std::string_view known_incarnation = "known_incarnation";
constexpr std::string_view known_seq = "known_seq";
constexpr std::string_view window_ms = "window_ms";
constexpr std::string_view want_full = "want_full";
constexpr std::string_view mode = "mode";
constexpr std::string_view hops_left = "hops_left";
constexpr std::string_view from_seq = "from_seq";
constexpr std::string_view to_seq = "to_seq";
constexpr std::string_view instances = "instances";
constexpr std::string_view tombstones = "tombstones";
constexpr std::string_view service = "service";
constexpr std::string_view id = "id";
constexpr std::string_view port = "port";
constexpr std::string_view version = "version";
constexpr std::string_view weight = "weight";
constexpr std::string_view priority = "priority";
constexpr std::string_view meta = "meta";
constexpr std::string_view ttl_ms = "ttl_ms";
constexpr std::string_view src_ts_ms = "src_ts_ms";
constexpr std::string_view age_ms = "age_ms";
constexpr std::string_view keep_ms = "keep_ms";
constexpr std::string_view refresh = "refresh";
}  // namespace key

namespace type_name {
constexpr std::string_view pull = "pull";
constexpr std::string_view pull_reply = "pull_reply";
constexpr std::string_view push = "push";
}  // namespace type_name

constexpr std::int64_t max_ttl_ms = 86'400'000;  // SPEC.md: ttl up to 86400 s
// Ages and timestamps far beyond any real value are damage, not data (2^53 ms: 285,000 years).
constexpr std::int64_t max_ms = std::int64_t{1} << 53;

std::string_view mode_name(PullMode m) {
    switch (m) {
        case PullMode::delta: return "delta";
        case PullMode::window: return "window";
        case PullMode::full: return "full";
    }
    return "delta";
}

json::object encode_sender(const NodeInfo& n) {
    return json::object{{key::name, n.name},
                        {key::address, n.address},
                        {key::incarnation, n.incarnation},
                        {key::seq, n.seq},
                        {key::index, n.index}};
}

json::array encode_peers(const std::vector<std::string>& peers) {
    json::array out;
    for (const auto& p : peers) out.emplace_back(p);
    return out;
}

json::object encode_instance(const InstanceCopy& c) {
    json::object meta;
    for (const auto& [k, v] : c.spec.meta) meta[k] = v;
    return json::object{{key::service, c.spec.service},
                        {key::id, c.spec.id},
                        {key::address, c.spec.address.to_string()},
                        {key::port, c.spec.port},
                        {key::version, c.spec.version},
                        {key::weight, c.spec.weight},
                        {key::priority, c.spec.priority},
                        {key::meta, std::move(meta)},
                        {key::ttl_ms, c.spec.ttl_ms},
                        {key::name, c.spec.node},
                        {key::src_ts_ms, c.src_ts_ms},
                        {key::age_ms, c.age_ms}};
}

// Only when there is something to say: an instance without a check sends what it always did.
void encode_health(json::object& out, const InstanceSpec& s) {
    if (s.check->present()) {
        out[health_key::check_kind] = to_string(s.check->kind);
        out[health_key::check_target] = s.check->target;
        out[health_key::check_interval_ms] = s.check->interval_ms;
        out[health_key::check_timeout_ms] = s.check->timeout_ms;
        out[health_key::check_deregister_after_ms] = s.check->deregister_after_ms;
    }
    if (s.health->critical()) {
        out[health_key::health] = to_string(s.health->status);
        out[health_key::health_output] = s.health->output;
        out[health_key::critical_since_ms] = s.health->critical_since_ms;
    }
}

json::object encode_tombstone(const TombstoneCopy& t) {
    return json::object{{key::service, t.key.first},
                        {key::id, t.key.second},
                        {key::src_ts_ms, t.src_ts_ms},
                        {key::age_ms, t.age_ms},
                        {key::keep_ms, t.keep_ms}};
}

void encode_changes(json::object& out, const ChangeSet& c) {
    json::array instances;
    for (const auto& i : c.instances) {
        json::object instance = encode_instance(i);
        encode_health(instance, i.spec);
        instances.emplace_back(std::move(instance));
    }
    json::array tombstones;
    for (const auto& t : c.tombstones) tombstones.emplace_back(encode_tombstone(t));
    out[key::from_seq] = c.from_seq;
    out[key::to_seq] = c.to_seq;
    out[key::instances] = std::move(instances);
    out[key::tombstones] = std::move(tombstones);
}

// ---- decoding: each reader says what it wanted at which path -------------------------------

struct Reader {
    std::string error;

    bool fail(const std::string& path, std::string_view wanted) {
        if (error.empty()) error = path + " must be " + std::string(wanted);
        return false;
    }

    const json::value* field(const json::object& o, std::string_view k, const std::string& path,
                             std::string_view wanted) {
        const json::value* v = o.if_contains(k);
        if (v == nullptr) {
            if (error.empty()) error = path + " is missing (" + std::string(wanted) + ")";
        }
        return v;
    }

    bool integer(const json::object& o, std::string_view k, const std::string& path,
                 std::int64_t lo, std::int64_t hi, std::int64_t& out) {
        const std::string wanted =
            "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
        const json::value* v = field(o, k, path, wanted);
        if (v == nullptr) return false;
        if (!v->is_int64() || v->get_int64() < lo || v->get_int64() > hi) return fail(path, wanted);
        out = v->get_int64();
        return true;
    }

    bool unsigned_integer(const json::object& o, std::string_view k, const std::string& path,
                          std::uint64_t& out) {
        constexpr std::string_view wanted = "a non-negative integer";
        const json::value* v = field(o, k, path, wanted);
        if (v == nullptr) return false;
        if (v->is_uint64()) out = v->get_uint64();
        else if (v->is_int64() && v->get_int64() >= 0) out = static_cast<std::uint64_t>(v->get_int64());
        else return fail(path, wanted);
        return true;
    }

    bool string(const json::object& o, std::string_view k, const std::string& path,
                std::string& out) {
        const json::value* v = field(o, k, path, "a string");
        if (v == nullptr) return false;
        if (!v->is_string()) return fail(path, "a string");
        out = std::string(v->get_string());
        return true;
    }

    bool label(const json::object& o, std::string_view k, const std::string& path,
               std::string& out) {
        constexpr std::string_view wanted = "a DNS label (letters, digits and '-', 1 to 63 characters)";
        const json::value* v = field(o, k, path, wanted);
        if (v == nullptr) return false;
        if (!v->is_string() || !is_valid_label(v->get_string())) return fail(path, wanted);
        out = canonical_label(v->get_string());
        return true;
    }

    bool boolean(const json::object& o, std::string_view k, const std::string& path, bool& out) {
        const json::value* v = field(o, k, path, "true or false");
        if (v == nullptr) return false;
        if (!v->is_bool()) return fail(path, "true or false");
        out = v->get_bool();
        return true;
    }

    const json::object* object(const json::value& v, const std::string& path) {
        if (!v.is_object()) {
            fail(path, "a JSON object");
            return nullptr;
        }
        return &v.get_object();
    }

    const json::array* array(const json::object& o, std::string_view k, const std::string& path) {
        const json::value* v = field(o, k, path, "an array");
        if (v == nullptr) return nullptr;
        if (!v->is_array()) {
            fail(path, "an array");
            return nullptr;
        }
        return &v->get_array();
    }

    bool sender(const json::object& o, NodeInfo& out) {
        const json::value* v = field(o, key::sender, "sender", "a JSON object");
        if (v == nullptr) return false;
        const json::object* s = object(*v, "sender");
        return s && string(*s, key::name, "sender.node", out.name) &&
               string(*s, key::address, "sender.address", out.address) &&
               unsigned_integer(*s, key::incarnation, "sender.incarnation", out.incarnation) &&
               unsigned_integer(*s, key::seq, "sender.seq", out.seq) &&
               unsigned_integer(*s, key::index, "sender.index", out.index);
    }

    bool peers(const json::object& o, std::vector<std::string>& out) {
        const json::array* a = array(o, key::peers, "peers");
        if (a == nullptr) return false;
        for (std::size_t i = 0; i < a->size(); ++i) {
            if (!(*a)[i].is_string()) return fail("peers[" + std::to_string(i) + "]", "a string");
            out.emplace_back((*a)[i].get_string());
        }
        return true;
    }

    bool keys(const json::object& o, std::vector<InstanceKey>& out) {
        const json::array* a = array(o, key::refresh, "refresh");
        if (a == nullptr) return false;
        out.resize(a->size());
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string path = "refresh[" + std::to_string(i) + "]";
            const json::object* k = object((*a)[i], path);
            if (!(k && label(*k, key::service, path + ".service", out[i].first) &&
                  label(*k, key::id, path + ".id", out[i].second)))
                return false;
        }
        return true;
    }

    bool instance(const json::value& v, const std::string& path, InstanceCopy& out) {
        const json::object* o = object(v, path);
        if (o == nullptr) return false;
        InstanceSpec& s = out.spec;
        std::string address;
        std::int64_t port = 0;
        std::int64_t weight = 0;
        std::int64_t priority = 0;
        if (!(label(*o, key::service, path + ".service", s.service) &&
              label(*o, key::id, path + ".id", s.id) &&
              string(*o, key::address, path + ".address", address)))
            return false;
        auto ip = IpAddress::parse(address);
        if (!ip) return fail(path + ".address", "an IPv4 or IPv6 address");
        s.address = *ip;
        if (!(integer(*o, key::port, path + ".port", 1, 65535, port) &&
              string(*o, key::version, path + ".version", s.version) &&
              integer(*o, key::weight, path + ".weight", 0, 65535, weight) &&
              integer(*o, key::priority, path + ".priority", 0, 65535, priority) &&
              integer(*o, key::ttl_ms, path + ".ttl_ms", 1, max_ttl_ms, s.ttl_ms) &&
              string(*o, key::name, path + ".node", s.node) &&
              integer(*o, key::src_ts_ms, path + ".src_ts_ms", -max_ms, max_ms, out.src_ts_ms) &&
              integer(*o, key::age_ms, path + ".age_ms", 0, max_ms, out.age_ms)))
            return false;
        s.port = static_cast<std::uint16_t>(port);
        s.weight = static_cast<std::uint16_t>(weight);
        s.priority = static_cast<std::uint16_t>(priority);
        const json::value* meta = field(*o, key::meta, path + ".meta", "an object of strings");
        if (meta == nullptr) return false;
        if (!meta->is_object()) return fail(path + ".meta", "an object of strings");
        for (const auto& kv : meta->get_object()) {
            if (!kv.value().is_string()) return fail(path + ".meta." + std::string(kv.key()), "a string");
            s.meta.emplace(std::string(kv.key()), std::string(kv.value().get_string()));
        }
        return health(*o, path, s);
    }

    // Optional: peers that predate health checks send none of these fields.
    bool health(const json::object& o, const std::string& path, InstanceSpec& s) {
        if (o.if_contains(health_key::check_kind) != nullptr) {
            HealthCheck check;
            std::string kind;
            if (!string(o, health_key::check_kind, path + ".check_kind", kind)) return false;
            if (kind == "http") check.kind = CheckKind::http;
            else if (kind == "tcp") check.kind = CheckKind::tcp;
            else return fail(path + ".check_kind", "\"http\" or \"tcp\"");
            if (!(string(o, health_key::check_target, path + ".check_target", check.target) &&
                  integer(o, health_key::check_interval_ms, path + ".check_interval_ms", 1, max_ttl_ms,
                          check.interval_ms) &&
                  integer(o, health_key::check_timeout_ms, path + ".check_timeout_ms", 1, max_ttl_ms,
                          check.timeout_ms) &&
                  integer(o, health_key::check_deregister_after_ms, path + ".check_deregister_after_ms", 0,
                          max_ms, check.deregister_after_ms)))
                return false;
            s.check = std::move(check);
        }
        if (o.if_contains(health_key::health) != nullptr) {
            HealthState health;
            std::string status;
            if (!string(o, health_key::health, path + ".health", status)) return false;
            if (status == "critical") health.status = Health::critical;
            else if (status != "passing") return fail(path + ".health", "\"passing\" or \"critical\"");
            if (health.critical() &&
                !(string(o, health_key::health_output, path + ".health_output", health.output) &&
                  integer(o, health_key::critical_since_ms, path + ".critical_since_ms", 0, max_ms,
                          health.critical_since_ms)))
                return false;
            s.health = std::move(health);
        }
        return true;
    }

    bool tombstone(const json::value& v, const std::string& path, TombstoneCopy& out) {
        const json::object* o = object(v, path);
        return o && label(*o, key::service, path + ".service", out.key.first) &&
               label(*o, key::id, path + ".id", out.key.second) &&
               integer(*o, key::src_ts_ms, path + ".src_ts_ms", -max_ms, max_ms, out.src_ts_ms) &&
               integer(*o, key::age_ms, path + ".age_ms", 0, max_ms, out.age_ms) &&
               integer(*o, key::keep_ms, path + ".keep_ms", 0, max_ms, out.keep_ms);
    }

    bool changes(const json::object& o, ChangeSet& out) {
        if (!(unsigned_integer(o, key::from_seq, "from_seq", out.from_seq) &&
              unsigned_integer(o, key::to_seq, "to_seq", out.to_seq)))
            return false;
        const json::array* instances = array(o, key::instances, "instances");
        if (instances == nullptr) return false;
        out.instances.resize(instances->size());
        for (std::size_t i = 0; i < instances->size(); ++i)
            if (!instance((*instances)[i], "instances[" + std::to_string(i) + "]", out.instances[i]))
                return false;
        const json::array* tombstones = array(o, key::tombstones, "tombstones");
        if (tombstones == nullptr) return false;
        out.tombstones.resize(tombstones->size());
        for (std::size_t i = 0; i < tombstones->size(); ++i)
            if (!tombstone((*tombstones)[i], "tombstones[" + std::to_string(i) + "]", out.tombstones[i]))
                return false;
        return true;
    }
};

}  // namespace

std::string encode_gossip(const GossipMessage& message) {
    json::object out;
    if (const auto* pull = std::get_if<PullRequest>(&message)) {
        out[key::type] = type_name::pull;
        out[key::sender] = encode_sender(pull->sender);
        out[key::peers] = encode_peers(pull->peers);
        out[key::known_incarnation] = pull->known_incarnation;
        out[key::known_seq] = pull->known_seq;
        out[key::window_ms] = pull->window_ms;
        out[key::want_full] = pull->want_full;
        json::array refresh;
        for (const auto& [service, id] : pull->refresh)
            refresh.emplace_back(json::object{{key::service, service}, {key::id, id}});
        out[key::refresh] = std::move(refresh);
    } else if (const auto* reply = std::get_if<PullReply>(&message)) {
        out[key::type] = type_name::pull_reply;
        out[key::sender] = encode_sender(reply->sender);
        out[key::peers] = encode_peers(reply->peers);
        out[key::mode] = mode_name(reply->mode);
        encode_changes(out, reply->changes);
    } else {
        const auto& push = std::get<Push>(message);
        out[key::type] = type_name::push;
        out[key::sender] = encode_sender(push.sender);
        out[key::hops_left] = push.hops_left;
        encode_changes(out, push.changes);
    }
    return json::serialize(out);
}

std::variant<GossipMessage, GossipDecodeError> decode_gossip(std::string_view body) {
    boost::system::error_code ec;
    const json::value root = json::parse(body, ec);
    if (ec) return GossipDecodeError{"the gossip message is not valid JSON: " + ec.message()};
    Reader r;
    const json::object* o = r.object(root, "the gossip message");
    if (o == nullptr) return GossipDecodeError{r.error};
    std::string type;
    if (!r.string(*o, key::type, "type", type)) return GossipDecodeError{r.error};

    if (type == type_name::pull) {
        PullRequest m;
        if (r.sender(*o, m.sender) && r.peers(*o, m.peers) &&
            r.unsigned_integer(*o, key::known_incarnation, "known_incarnation", m.known_incarnation) &&
            r.unsigned_integer(*o, key::known_seq, "known_seq", m.known_seq) &&
            r.integer(*o, key::window_ms, "window_ms", 0, max_ms, m.window_ms) &&
            r.boolean(*o, key::want_full, "want_full", m.want_full) && r.keys(*o, m.refresh))
            return GossipMessage{std::move(m)};
    } else if (type == type_name::pull_reply) {
        PullReply m;
        std::string mode;
        if (r.sender(*o, m.sender) && r.peers(*o, m.peers) && r.string(*o, key::mode, "mode", mode)) {
            if (mode == "delta") m.mode = PullMode::delta;
            else if (mode == "window") m.mode = PullMode::window;
            else if (mode == "full") m.mode = PullMode::full;
            else r.fail("mode", "\"delta\", \"window\" or \"full\"");
            if (r.error.empty() && r.changes(*o, m.changes)) return GossipMessage{std::move(m)};
        }
    } else if (type == type_name::push) {
        Push m;
        std::int64_t hops = 0;
        if (r.sender(*o, m.sender) && r.integer(*o, key::hops_left, "hops_left", 0, 64, hops) &&
            r.changes(*o, m.changes)) {
            m.hops_left = static_cast<std::uint32_t>(hops);
            return GossipMessage{std::move(m)};
        }
    } else {
        r.fail("type", "\"pull\", \"pull_reply\" or \"push\"");
    }
    return GossipDecodeError{r.error};
}

}  // namespace dnsd::registry
