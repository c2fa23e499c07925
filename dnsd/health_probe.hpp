#pragma once
// The probes themselves, on the caller's executor (the control io_context): an HTTP GET with
// Beast (any 2xx passes) or a TCP connect with Asio. Everything is asynchronous and the whole
// probe, name resolution included, is bounded by the check's timeout, so a probe never holds
// up the DNS or HTTP paths. The probe reads the status line and headers only, never a body.
#include <boost/asio/awaitable.hpp>

#include "dnsd/health_state.hpp"
#include "registry/instance.hpp"

namespace dnsd {

boost::asio::awaitable<ProbeOutcome> run_probe(registry::HealthCheck check);

}  // namespace dnsd
