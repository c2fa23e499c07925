#pragma once
// A bounded, forward-only reader over a received message. Every read checks the bounds and
// reports failure instead of throwing, so a hostile packet can at worst be rejected.
#include <cstddef>
#include <cstdint>
#include <span>

#include "zones/query_name.hpp"

namespace dnsd::zones {

enum class NameStatus : std::uint8_t {
    ok,
    truncated,     // the message ends inside the name
    bad_label,     // a label type other than a plain label or pointer (0x40/0x80 prefixes)
    pointer,       // a compression pointer where none is allowed (the question)
    bad_pointer,   // a pointer forward, to itself, out of the message, or too many of them
    too_long,      // more than 255 bytes once expanded
};

class WireReader {
public:
    explicit WireReader(std::span<const std::uint8_t> message) : message_(message) {}

    std::size_t offset() const { return offset_; }
    std::size_t remaining() const { return message_.size() - offset_; }
    std::span<const std::uint8_t> message() const { return message_; }

    bool u8(std::uint8_t& out);
    bool u16(std::uint16_t& out);
    bool u32(std::uint32_t& out);
    bool skip(std::size_t n);

    // A name that must not be compressed (the question, RFC 1035 allows pointers there but no
    // client sends them and accepting them only widens the attack surface). Lower-cases it
    // into `out` and records the label offsets.
    NameStatus read_question_name(QueryName& out);

    // Steps over a name anywhere else: pointers are allowed but must point backwards inside
    // the message, and the expanded name must stay within 255 bytes. Loops cannot pass both.
    NameStatus skip_name();

private:
    std::span<const std::uint8_t> message_;
    std::size_t offset_ = 0;
};

}  // namespace dnsd::zones
