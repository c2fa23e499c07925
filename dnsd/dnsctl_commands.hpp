#pragma once
// The commands, each in its own dnsctl_<command>.cpp. Each returns the process's exit code
// (0 success, 1 runtime failure) and reports failures through spdlog.
#include "dnsd/dnsctl_options.hpp"

namespace dnsd::ctl {

int run_heartbeat(const HeartbeatCommand& command);
int run_deregister(const DeregisterCommand& command);
int run_list(const ListCommand& command);
int run_lookup(const LookupCommand& command);
int run_watch(const WatchCommand& command);

}  // namespace dnsd::ctl
