#include "zones/wire_reader.hpp"

namespace dnsd::zones {

namespace {
constexpr std::uint8_t label_type_mask = 0xc0;
constexpr std::uint8_t pointer_type = 0xc0;

std::uint8_t to_lower(std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c | 0x20) : c;
}
}  // namespace

bool WireReader::u8(std::uint8_t& out) {
    if (remaining() < 1) return false;
    out = message_[offset_++];
    return true;
}

bool WireReader::u16(std::uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<std::uint16_t>(message_[offset_] << 8 | message_[offset_ + 1]);
    offset_ += 2;
    return true;
}

bool WireReader::u32(std::uint32_t& out) {
    if (remaining() < 4) return false;
    out = static_cast<std::uint32_t>(message_[offset_]) << 24 |
          static_cast<std::uint32_t>(message_[offset_ + 1]) << 16 |
          static_cast<std::uint32_t>(message_[offset_ + 2]) << 8 |
          static_cast<std::uint32_t>(message_[offset_ + 3]);
    offset_ += 4;
    return true;
}

bool WireReader::skip(std::size_t n) {
    if (remaining() < n) return false;
    offset_ += n;
    return true;
}

NameStatus WireReader::read_question_name(QueryName& out) {
    std::size_t at = offset_;
    std::size_t length = 0;
    std::size_t labels = 0;
    for (;;) {
        if (at >= message_.size()) return NameStatus::truncated;
        const std::uint8_t len = message_[at];
        if ((len & label_type_mask) == pointer_type) return NameStatus::pointer;
        if ((len & label_type_mask) != 0) return NameStatus::bad_label;
        if (length + 1 + len > limits::max_name) return NameStatus::too_long;
        if (len == 0) {
            out.wire[length++] = 0;
            break;
        }
        if (message_.size() - at - 1 < len) return NameStatus::truncated;
        out.label_at[labels++] = static_cast<std::uint8_t>(length);
        out.wire[length++] = len;
        for (std::size_t i = 1; i <= len; ++i) out.wire[length++] = to_lower(message_[at + i]);
        at += 1 + len;
    }
    out.length = length;
    out.label_count = labels;
    offset_ = at + 1;
    return NameStatus::ok;
}

NameStatus WireReader::skip_name() {
    std::size_t at = offset_;
    std::size_t expanded = 0;
    std::size_t resume = 0;  // where reading continues once the first pointer is taken
    std::size_t hops = 0;
    bool jumped = false;
    for (;;) {
        if (at >= message_.size()) return NameStatus::truncated;
        const std::uint8_t len = message_[at];
        if ((len & label_type_mask) == pointer_type) {
            if (at + 1 >= message_.size()) return NameStatus::truncated;
            const std::size_t target = static_cast<std::size_t>(len & 0x3f) << 8 | message_[at + 1];
            // Strictly backwards: a pointer can only refer to a name that came before it. That
            // and the 255-byte cap end every loop; the hop cap also bounds the work a crafted
            // chain of pointers to pointers can cause (an honest name needs one per label).
            if (target >= at || ++hops > limits::max_labels) return NameStatus::bad_pointer;
            if (!jumped) resume = at + 2;
            jumped = true;
            at = target;
            continue;
        }
        if ((len & label_type_mask) != 0) return NameStatus::bad_label;
        if (expanded + 1 + len > limits::max_name) return NameStatus::too_long;
        expanded += 1 + len;
        if (len == 0) {
            offset_ = jumped ? resume : at + 1;
            return NameStatus::ok;
        }
        if (message_.size() - at - 1 < len) return NameStatus::truncated;
        at += 1 + len;
    }
}

}  // namespace dnsd::zones
