#pragma once
// Send time for a prepared answer: copy, patch, cut. The only per-query work on a positive
// answer is a memcpy of the message, the client's ID, flags and question, one TTL per RRset
// from the shared lease cells, and the OPT.
#include <cstddef>
#include <cstdint>
#include <span>

#include "registry/clock.hpp"
#include "zones/answer_store.hpp"
#include "zones/parsed_query.hpp"

namespace dnsd::zones {

struct WrittenReply {
    std::size_t size = 0;  // 0: nothing written (the caller answers SERVFAIL)
    bool truncated = false;
};

// Writes `answer` for `query` into `reply`, at most `limit` bytes (OPT included). When the
// whole answer does not fit, it is cut after the last whole RRset that does; TC is set only if
// answer or authority records were cut, not for additional ones alone (RFC 2181 §9).
// The answer's rotating RRset, if it has one and it is sent, starts with its record number
// `rotation` modulo its size, the others following in their cyclic order. Rotation is done
// while copying (three memcpys instead of one, TTL offsets remapped), not by preparing a copy
// per rotation: that would multiply the zone's memory by the RRset size, and the builder makes
// rotating RRsets position-independent so the copy needs no pointer fix-ups.
WrittenReply write_prepared(const AnswerStore& store, const PreparedAnswer& answer,
                            const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                            std::span<std::uint8_t> reply, std::size_t limit, registry::MonoMs now,
                            std::uint32_t max_ttl_s, std::uint32_t rotation = 0);

}  // namespace dnsd::zones
