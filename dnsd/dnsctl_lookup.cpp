// dnsctl lookup SERVICE: what a DNS client of dnsd sees (SRV, then the targets' addresses), or
// with --pick the one ADDR:PORT a client following RFC 2782 would contact.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "dnsd/dnsctl_commands.hpp"
#include "dnsd/dnsctl_dns_client.hpp"
#include "dnsd/dnsctl_table.hpp"

namespace dnsd::ctl {

namespace {

std::string why_nothing(DnsOutcome outcome, const std::string& name, const LookupCommand& command) {
    const std::string server = command.dns_server.to_string();
    switch (outcome) {
        case DnsOutcome::nxdomain:
            return "NXDOMAIN: " + server + " knows no service '" + command.service + "' (" + name + ")";
        case DnsOutcome::nodata:
            return "service '" + command.service + "' is known but has no live instance right now (NODATA for SRV " +
                   name + ")";
        case DnsOutcome::timeout: return "no answer from " + server + " for SRV " + name + " (timeout)";
        case DnsOutcome::servfail: return server + " answered SERVFAIL for SRV " + name;
        case DnsOutcome::refused:
            return server + " REFUSED SRV " + name + ": is '" + command.domain + "' the zone it serves (--domain)?";
        case DnsOutcome::unreachable: return "cannot reach " + server + ": connection refused";
        case DnsOutcome::failed:
        case DnsOutcome::ok: break;
    }
    return "lookup of SRV " + name + " at " + server + " failed";
}

std::string host_port(const std::string& address, std::uint16_t port) {
    const bool v6 = address.find(':') != std::string::npos;
    return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace

int run_lookup(const LookupCommand& command) {
    const std::string name = command.service + "." + command.domain;
    SrvLookup found = lookup_srv(command.dns_server, name, command.common.timeout);
    if (found.outcome != DnsOutcome::ok) {
        std::string why = why_nothing(found.outcome, name, command);
        if (found.outcome == DnsOutcome::failed && !found.failure.empty()) why += ": " + found.failure;
        spdlog::error("lookup: {}", why);
        return 1;
    }
    auto& targets = found.targets;
    std::sort(targets.begin(), targets.end(), [](const SrvTarget& a, const SrvTarget& b) {
        if (a.priority != b.priority) return a.priority < b.priority;
        if (a.weight != b.weight) return a.weight > b.weight;
        return a.target < b.target;
    });
    if (command.pick) {
        // Only targets that resolve can be contacted; RFC 2782 moves on past the others.
        std::vector<SrvTarget> reachable;
        for (const auto& target : targets)
            if (!target.addresses.empty()) reachable.push_back(target);
        const auto chosen = pick_srv(reachable, system_random());
        if (!chosen) {
            spdlog::error("lookup: none of the {} SRV target(s) of {} resolves to an address", targets.size(), name);
            return 1;
        }
        const SrvTarget& target = reachable[*chosen];
        std::cout << host_port(target.addresses.front(), target.port) << std::endl;
        return 0;
    }
    std::vector<TableRow> rows;
    for (const auto& target : targets) {
        std::string addresses;
        for (const auto& address : target.addresses) addresses += (addresses.empty() ? "" : ",") + address;
        rows.push_back({std::to_string(target.priority), std::to_string(target.weight), std::to_string(target.port),
                        target.target, addresses.empty() ? "(does not resolve)" : addresses});
    }
    std::cout << format_table({"PRIORITY", "WEIGHT", "PORT", "TARGET", "ADDRESSES"}, rows) << std::flush;
    return 0;
}

}  // namespace dnsd::ctl
