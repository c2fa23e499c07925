#pragma once
// The nginx file path (for nginx builds that cannot re-resolve names): one service's live
// instances as an nginx `upstream` block. Pure: instances in, text out, so it is tested
// without a registry, a clock or a file system.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "registry/registry.hpp"

namespace dnsd {

// One instance as nginx's `server` line needs it.
struct UpstreamServer {
    registry::IpAddress address;
    std::uint16_t port = 0;
    std::uint16_t weight = 100;   // the heartbeat's (SRV) weight
    std::uint16_t priority = 0;   // the heartbeat's (SRV) priority: lowest = primary
    std::string id;               // the instance id: only breaks ties in the order
};

// The instances of `service` DNS would answer at `now`, in no particular order: live (an
// instance whose lease is over but that no sweep has removed yet is left out) and not critical.
std::vector<UpstreamServer> live_upstream_servers(const registry::Service& service, registry::MonoMs now);

// `upstream <service> { ... }`, ending with a newline. Order is deterministic (primaries, then
// backups by priority, each by address, port, id), so the same instances always give the same bytes and a
// file is rewritten (and nginx reloaded) only on a real change:
// - the lowest priority present is primary; every other instance is `backup` (RFC 2782: higher
//   priority values are tried only when the lower ones fail);
// - weight=W is the SRV weight, except that SRV weight 0 ("pick rarely") becomes weight=1:
//   nginx refuses weight=0 and the whole configuration with it;
// - IPv6 addresses are in brackets;
// - no instance at all gives `server 127.0.0.1:1 down;`: nginx refuses an upstream with no
//   server (and with it every reload), while a server marked down keeps the configuration
//   valid and answers 502 at once, as an empty DNS answer would.
std::string render_upstream(std::string_view service, std::vector<UpstreamServer> servers);

}  // namespace dnsd
