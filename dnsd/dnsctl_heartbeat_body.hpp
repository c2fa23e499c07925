#pragma once
// The JSON body of POST /v1/heartbeat for one instance. Every heartbeat is a full registration,
// so a node that restarted (or a fail-over node that never saw us) learns the instance again.
// No "timestamp": the node assigns one newer than any it knows, so a clock skew between this
// host and the node can never make a heartbeat look stale.
#include <boost/json/object.hpp>

#include "dnsd/dnsctl_options.hpp"

namespace dnsd::ctl {

boost::json::object heartbeat_body(const InstanceSpec& instance);

}  // namespace dnsd::ctl
