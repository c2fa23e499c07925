#pragma once
// RFC 2782's choice of one SRV target: the lowest priority group, then a weighted random choice
// within it. A pure function: the random source is injected, so tests fix it.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dnsd::ctl {

struct SrvTarget {
    std::string target;  // the SRV target name, e.g. "api-1.api.svc"
    std::uint16_t priority = 0;
    std::uint16_t weight = 0;
    std::uint16_t port = 0;
    std::vector<std::string> addresses;  // its A and AAAA records, as text
};

// A uniformly distributed integer from 0 to `upper`, both included.
using UniformRandom = std::function<std::uint64_t(std::uint64_t upper)>;

// The index of the chosen target, nullopt for an empty list. RFC 2782: "arrange all SRV RRs
// [of the group] in any order, except that all those with weight 0 are placed at the
// beginning", draw a number from 0 to the sum of the weights, and take the first whose running
// sum is at least that number. So weight 0 is chosen only rarely beside positive weights (when
// the draw is 0), and uniformly when the whole group has weight 0.
std::optional<std::size_t> pick_srv(const std::vector<SrvTarget>& targets, const UniformRandom& random);

// A UniformRandom from a Mersenne Twister seeded by std::random_device.
UniformRandom system_random();

}  // namespace dnsd::ctl
