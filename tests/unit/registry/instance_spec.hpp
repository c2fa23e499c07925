#pragma once
// The instance most registry tests need: only its key and lease matter to them.
#include <cstdint>
#include <string>

#include "registry/instance.hpp"

namespace dnsd::registry::test {

inline InstanceSpec instance_spec(std::string service, std::string id, std::int64_t ttl_ms = 30'000) {
    InstanceSpec s;
    s.service = std::move(service);
    s.id = std::move(id);
    s.address = *IpAddress::parse("10.0.0.3");
    s.port = 8861;
    s.ttl_ms = ttl_ms;
    return s;
}

}  // namespace dnsd::registry::test
