#include "dnsd/nginx_upstream_render.hpp"

#include <algorithm>
#include <tuple>

namespace dnsd {

namespace {

std::string server_address(const UpstreamServer& s) {
    const std::string host = s.address.to_string();
    return (s.address.is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(s.port);
}

}  // namespace

std::vector<UpstreamServer> live_upstream_servers(const registry::Service& service, registry::MonoMs now) {
    std::vector<UpstreamServer> out;
    for (const auto& [id, instance] : service.instances) {
        // The shared lease cell is what DNS reads: self-preservation may extend it past the
        // instance's own lease, and then the instance is still answered, so it is served here too.
        const registry::MonoMs ends = instance.lease ? instance.lease->expires_at.load() : instance.expires_at();
        if (now > ends) continue;
        // A failing third-party health check takes it out of DNS answers, and so out of nginx's.
        if (instance.spec.health->critical()) continue;
        out.push_back(UpstreamServer{instance.spec.address, instance.spec.port, instance.spec.weight,
                                     instance.spec.priority, id});
    }
    return out;
}

std::string render_upstream(std::string_view service, std::vector<UpstreamServer> servers) {
    std::string out = "# Written by dnsd (--nginx-upstream-dir) for service '" + std::string(service) +
                      "'; do not edit: it is replaced whenever the service changes.\n";
    out += "upstream " + std::string(service) + " {\n";
    if (servers.empty()) {
        out += "    # no live instance: a server marked down keeps the configuration valid\n";
        out += "    server 127.0.0.1:1 down;\n";
        out += "}\n";
        return out;
    }
    std::sort(servers.begin(), servers.end(), [](const UpstreamServer& a, const UpstreamServer& b) {
        return std::tie(a.priority, a.address, a.port, a.id) < std::tie(b.priority, b.address, b.port, b.id);
    });
    const std::uint16_t primary = servers.front().priority;
    for (const auto& s : servers) {
        const unsigned weight = s.weight == 0 ? 1u : s.weight;
        out += "    server " + server_address(s) + " weight=" + std::to_string(weight);
        if (s.priority != primary) out += " backup";
        out += ";\n";
    }
    out += "}\n";
    return out;
}

}  // namespace dnsd
