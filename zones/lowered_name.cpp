#include "zones/lowered_name.hpp"

#include <cstring>

namespace dnsd::zones {

namespace {
constexpr std::uint8_t label_type_mask = 0xc0;
constexpr std::uint8_t pointer_type = 0xc0;
constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

// ASCII lower-casing of eight bytes at once: a byte gets 0x20 added when it is 'A'..'Z'. The
// two additions work on the low seven bits of each byte, so no carry crosses into the next.
std::uint64_t lower8(std::uint64_t w) {
    const std::uint64_t low7 = w & ~high_bits;
    const std::uint64_t at_least_a = low7 + (0x80 - 'A') * ones;
    const std::uint64_t above_z = low7 + (0x80 - 'Z' - 1) * ones;
    const std::uint64_t upper = (at_least_a ^ above_z) & ~w & high_bits;
    return w | (upper >> 2);
}

void lower_copy8(std::uint8_t* to, const std::uint8_t* from) {
    std::uint64_t w;
    std::memcpy(&w, from, sizeof w);
    w = lower8(w);
    std::memcpy(to, &w, sizeof w);
}

std::uint8_t lower1(std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c | 0x20) : c;
}
}  // namespace

NameStatus read_lowered_name(std::span<const std::uint8_t> message, std::size_t at, QueryName& out,
                             std::size_t& end) {
    // The walk: the same checks in the same order as WireReader::read_question_name.
    const std::size_t start = at;
    std::size_t length = 0;
    std::size_t labels = 0;
    for (;;) {
        if (at >= message.size()) return NameStatus::truncated;
        const std::uint8_t len = message[at];
        if (len & label_type_mask)  // one test for the rare cases, then which one
            return (len & label_type_mask) == pointer_type ? NameStatus::pointer : NameStatus::bad_label;
        if (length + 1 + len > limits::max_name) return NameStatus::too_long;
        if (len == 0) {
            ++length;
            break;
        }
        if (message.size() - at - 1 < len) return NameStatus::truncated;
        out.label_at[labels++] = static_cast<std::uint8_t>(length);
        length += 1 + len;
        at += 1 + len;
    }
    // The copy: `length` bytes (at most 255, the size of out.wire) from `start`. Whole words,
    // then one last word ending exactly at the end (lower-casing twice changes nothing).
    const std::uint8_t* from = message.data() + start;
    std::uint8_t* to = out.wire.data();
    if (length >= 8) {
        std::size_t i = 0;
        for (; i + 8 <= length; i += 8) lower_copy8(to + i, from + i);
        if (i < length) lower_copy8(to + length - 8, from + length - 8);
    } else {
        for (std::size_t i = 0; i < length; ++i) to[i] = lower1(from[i]);
    }
    out.length = length;
    out.label_count = labels;
    end = at + 1;
    return NameStatus::ok;
}

}  // namespace dnsd::zones
