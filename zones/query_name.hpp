#pragma once
// A question name as the query path sees it: lower-cased wire bytes in a fixed buffer plus the
// offset of every label, so that suffix tests and label look-ups need no allocation and no
// second pass. Lower-casing keeps the length, which lets prepared answers (built for the
// lower-case name) take the client's own spelling byte for byte.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "zones/wire_types.hpp"

namespace dnsd::zones {

struct QueryName {
    // Left uninitialised on purpose: the reader fills exactly `length` bytes and `label_count`
    // offsets, and nothing reads past them.
    std::array<std::uint8_t, limits::max_name> wire;
    std::array<std::uint8_t, limits::max_labels> label_at;  // offset of each label's length byte
    std::size_t length = 0;       // wire length including the root byte
    std::size_t label_count = 0;  // root not counted

    std::string_view label(std::size_t i) const {
        const std::size_t at = label_at[i];
        return {reinterpret_cast<const char*>(wire.data()) + at + 1, wire[at]};
    }
    // The wire bytes from label i to the end (i == label_count gives the root alone).
    std::string_view suffix(std::size_t i) const {
        const std::size_t at = i < label_count ? label_at[i] : length - 1;
        return {reinterpret_cast<const char*>(wire.data()) + at, length - at};
    }
};

}  // namespace dnsd::zones
