#pragma once
// The byte-level pieces shared by the answers written at send time (instance_answer.hpp,
// service_set_answer.hpp): big-endian fields, a record's fixed head, and the reply header with
// the client's ID and question. No bounds checks: each writer measures what it writes first.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "zones/parsed_query.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones::reply_bytes {

constexpr std::size_t record_fields = 10;                // type, class, TTL, rdlength
constexpr std::size_t record_fixed = 2 + record_fields;  // and a compressed owner
constexpr std::size_t srv_fixed = 6;          // priority, weight, port
constexpr std::uint16_t question_pointer = 0xc000 | header::size;
// What a prepared answer could hold: the builder keeps room for the OPT added at send time.
constexpr std::size_t prepared_capacity = limits::max_message - limits::opt_record;

inline void put_u16(std::uint8_t*& at, std::uint16_t v) {
    at[0] = static_cast<std::uint8_t>(v >> 8);
    at[1] = static_cast<std::uint8_t>(v);
    at += 2;
}

inline void put_u32(std::uint8_t*& at, std::uint32_t v) {
    at[0] = static_cast<std::uint8_t>(v >> 24);
    at[1] = static_cast<std::uint8_t>(v >> 16);
    at[2] = static_cast<std::uint8_t>(v >> 8);
    at[3] = static_cast<std::uint8_t>(v);
    at += 4;
}

inline void put_bytes(std::uint8_t*& at, const void* data, std::size_t size) {
    std::memcpy(at, data, size);
    at += size;
}

// Type, class IN, TTL and rdlength: a record's head after its owner name.
inline void put_record_fields(std::uint8_t*& at, RrType type, std::uint32_t ttl, std::size_t rdlength) {
    put_u16(at, to_u16(type));
    put_u16(at, to_u16(RrClass::in));
    put_u32(at, ttl);
    put_u16(at, static_cast<std::uint16_t>(rdlength));
}

// Owner (a pointer), type, class IN, TTL and rdlength of one record.
inline void put_record_head(std::uint8_t*& at, std::uint16_t owner, RrType type, std::uint32_t ttl,
                            std::size_t rdlength) {
    put_u16(at, owner);
    put_record_fields(at, type, ttl, rdlength);
}

// An authoritative answer's header and the client's own spelling of the question (answers
// point at it, so they echo its case); returns where the answer section starts.
inline std::uint8_t* put_reply_start(std::span<std::uint8_t> reply, const ParsedQuery& query,
                                     std::span<const std::uint8_t> query_bytes, bool truncated,
                                     std::uint16_t an, std::uint16_t ar) {
    std::uint8_t* out = reply.data();
    std::memcpy(out + header::id, query_bytes.data() + header::id, 2);
    std::uint8_t* at = out + header::flags;
    put_u16(at, static_cast<std::uint16_t>(header::qr | header::aa | (query.flags & (header::rd | header::cd)) |
                                           (truncated ? header::tc : 0)));
    put_u16(at, 1);
    put_u16(at, an);
    put_u16(at, 0);
    put_u16(at, ar);
    put_bytes(at, query_bytes.data() + header::size, query.question_size);
    return at;
}

}  // namespace dnsd::zones::reply_bytes
