#include "zones/ttl.hpp"

namespace dnsd::zones {

std::uint32_t lease_ttl(std::span<const registry::LeaseCell* const> leases, registry::MonoMs now,
                        std::uint32_t max_ttl_s) {
    std::int64_t ttl = max_ttl_s;
    for (const registry::LeaseCell* lease : leases) {
        // Relaxed: each cell is one independent value; a renewal racing with this read gives
        // either the old or the new lease end, both of which are true at some instant.
        const std::int64_t remaining_ms = lease->expires_at.load(std::memory_order_relaxed) - now;
        if (remaining_ms <= 0) return 0;
        if (remaining_ms / 1000 < ttl) ttl = remaining_ms / 1000;
    }
    return static_cast<std::uint32_t>(ttl);
}

}  // namespace dnsd::zones
