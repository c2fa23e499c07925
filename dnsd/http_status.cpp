#include "dnsd/http_status.hpp"

#include <algorithm>

#include <boost/json/array.hpp>

#include "dnsd_version.hpp"

namespace dnsd {

namespace json = boost::json;

std::vector<std::string> live_peers(const registry::Registry& registry,
                                    std::string_view self_label, registry::MonoMs now) {
    std::vector<std::string> peers;
    const registry::Service* nodes = registry.find(kNodeService);
    if (nodes == nullptr) return peers;
    for (const auto& [id, instance] : nodes->instances) {
        if (id == self_label || instance.expired(now)) continue;
        const registry::InstanceSpec& spec = instance.spec;
        const std::string host = spec.address.is_v6() ? "[" + spec.address.to_string() + "]"
                                                      : spec.address.to_string();
        peers.push_back(host + ":" + std::to_string(spec.port));
    }
    return peers;
}

std::vector<std::string> sample_third(std::vector<std::string> peers, std::mt19937_64& rng) {
    const std::size_t keep = (peers.size() + 2) / 3;
    std::shuffle(peers.begin(), peers.end(), rng);
    peers.resize(keep);
    return peers;
}

json::object status_json(const StatusFields& fields) {
    json::array peers;
    for (const auto& peer : fields.peers) peers.emplace_back(peer);
    json::object out{{"status", "ok"},
                     {"service", "dnsd"},
                     {"version", kVersion},
                     {"timestamp", fields.unix_seconds},
                     {"node", fields.node_name},
                     {"index", fields.index},
                     {"peers", std::move(peers)}};
    if (fields.incarnation) out["incarnation"] = *fields.incarnation;
    if (const auto& sp = fields.self_preservation) {
        json::object preservation{{"active", sp->active}, {"since", nullptr}, {"reason", sp->reason}};
        if (sp->since_unix_s) preservation["since"] = *sp->since_unix_s;
        out["self_preservation"] = std::move(preservation);
    }
    return out;
}

}  // namespace dnsd
