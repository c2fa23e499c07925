#pragma once
// The two DNS messages the visibility probe needs, by hand: an A query, and just enough of the
// reply to tell whether the name has an address yet.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hbload {

// A standard query (RD clear: dnsd is authoritative) for `name` type A class IN. Labels are
// assumed valid (the program makes them).
std::vector<std::uint8_t> make_a_query(std::uint16_t id, std::string_view name);

struct ReplySummary {
    std::uint16_t id = 0;
    std::uint8_t rcode = 0;
    std::uint16_t answers = 0;
};

// nullopt for anything that is not a DNS reply (too short, QR clear).
std::optional<ReplySummary> summarize_reply(std::span<const std::uint8_t> message);

}  // namespace hbload
