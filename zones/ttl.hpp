#pragma once
// The TTL rule (SPEC.md): a record's TTL never exceeds max_ttl nor the remaining lease of the
// instance it came from, in whole seconds rounded down (never promise a second the lease may
// not have), never negative. An RRset has one TTL (RFC 2181 §5.2): the smallest of its members.
// Computed at send time from the shared lease cells, so a renewal raises it without a rebuild.
#include <cstdint>
#include <span>

#include "registry/clock.hpp"
#include "registry/instance.hpp"

namespace dnsd::zones {

std::uint32_t lease_ttl(std::span<const registry::LeaseCell* const> leases, registry::MonoMs now,
                        std::uint32_t max_ttl_s);

}  // namespace dnsd::zones
