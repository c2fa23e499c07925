#pragma once
// The DNS query path: one call per received message, from any DNS worker thread. It takes no
// lock, allocates nothing and throws nothing: validate, classify and look up in the Snapshot,
// then copy a prepared answer (or write a short negative/error reply) into `reply`.
#include <cstddef>
#include <cstdint>
#include <span>

#include "registry/clock.hpp"
#include "zones/snapshot.hpp"

namespace dnsd::zones {

struct AnswerInfo {
    std::size_t size = 0;      // bytes written to reply; 0 = send nothing
    std::uint16_t qtype = 0;   // the question's type, 0 when it could not be read
    std::uint8_t rcode = 0;    // the full rcode: 16 for BADVERS (header 0 + OPT's upper bits)
    bool truncated = false;    // TC was set
};

// `reply` should hold 65535 bytes (a smaller one bounds the reply further). The UDP limit
// comes from EDNS: 512 without OPT, the client's size clamped to [512, 1232] with one; TCP
// allows 65535. `now` is the monotonic clock, for TTLs from the leases.
AnswerInfo answer_query(std::span<const std::uint8_t> query, std::span<std::uint8_t> reply,
                        const Snapshot& snapshot, registry::MonoMs now, bool over_tcp);

}  // namespace dnsd::zones
