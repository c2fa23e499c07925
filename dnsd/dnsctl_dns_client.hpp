#pragma once
// A blocking DNS client on c-ares for `dnsctl lookup`: SRV of a name against one server, then the
// A and AAAA of every target (nginx and most clients ignore the additional section, so dnsctl
// resolves the targets as they would). Queries run concurrently in one c-ares channel.
#include <chrono>
#include <string>
#include <vector>

#include "dnsd/dnsctl_address.hpp"
#include "dnsd/dnsctl_srv_pick.hpp"

namespace dnsd::ctl {

enum class DnsOutcome { ok, nxdomain, nodata, timeout, servfail, refused, unreachable, failed };

struct SrvLookup {
    DnsOutcome outcome = DnsOutcome::failed;
    std::string failure;  // c-ares's reason when outcome is failed
    std::vector<SrvTarget> targets;
};

// `timeout` bounds each lookup stage (two tries of a third and two thirds of it).
SrvLookup lookup_srv(const Endpoint& server, const std::string& name, std::chrono::milliseconds timeout);

}  // namespace dnsd::ctl
