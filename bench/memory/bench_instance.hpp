#pragma once
// The instances bench/memory's tools fill a registry with: what gen_cache.py writes into the
// cache.json that run.sh loads (meta {"zone":"a"}, version 1.2.3, node "bench", leases of an
// hour), so the tools and the whole-process figure measure the same data.
#include <cstdint>
#include <string>

#include "registry/instance.hpp"

namespace dnsd::bench {

inline registry::InstanceSpec bench_instance(int service, int index, int per) {
    const int n = service * per + index;
    registry::InstanceSpec spec;
    spec.service = "svc-" + std::to_string(service);
    spec.id = "inst-" + std::to_string(index);
    spec.address = registry::IpAddress::v4({10, static_cast<std::uint8_t>(n >> 16),
                                            static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    spec.port = static_cast<std::uint16_t>(8000 + index);
    spec.version = "1.2.3";
    spec.meta.emplace("zone", "a");
    spec.ttl_ms = 3'600'000;
    spec.node = "bench";
    return spec;
}

}  // namespace dnsd::bench
