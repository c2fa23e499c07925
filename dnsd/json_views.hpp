#pragma once
// The registry as the read endpoints show it (GET /v1/services, GET /v1/services/{service}).
// Only live instances appear: one whose lease ran out is gone for readers even before the
// sweep removes it, as it is for DNS.
#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "registry/clock.hpp"
#include "registry/registry.hpp"

namespace dnsd {

// {"id","address","port","version","weight","priority","meta","ttl","expires_in","node"};
// ttl and expires_in in whole seconds, rounded up: a live instance never shows less than it has.
boost::json::object instance_json(const registry::Instance& instance, registry::MonoMs now);

// {"index": N, "services": {"api": {"instances": <live count>, "index": <service index>}}}
boost::json::object services_json(const registry::Registry& registry, registry::MonoMs now);

// {"service": "api", "index": <service index>, "instances": [...]}; nullopt: unknown service.
std::optional<boost::json::object> service_json(const registry::Registry& registry,
                                                std::string_view service, registry::MonoMs now);

// The index a blocking query on that view waits on: the registry's for the list, the
// service's for one service (0 while the service is unknown, so a wait can see it appear).
std::uint64_t services_index(const registry::Registry& registry);
std::uint64_t service_index(const registry::Registry& registry, std::string_view service);

}  // namespace dnsd
