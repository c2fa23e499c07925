#include "dnsd/dnsctl_srv_pick.hpp"

#include <algorithm>
#include <memory>
#include <random>

namespace dnsd::ctl {

std::optional<std::size_t> pick_srv(const std::vector<SrvTarget>& targets, const UniformRandom& random) {
    if (targets.empty()) return std::nullopt;
    std::uint16_t lowest = targets.front().priority;
    for (const auto& t : targets) lowest = std::min(lowest, t.priority);

    std::vector<std::size_t> zero_weight;
    std::vector<std::size_t> weighted;
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i].priority != lowest) continue;
        if (targets[i].weight == 0) {
            zero_weight.push_back(i);
        } else {
            weighted.push_back(i);
            sum += targets[i].weight;
        }
    }
    const std::uint64_t draw = random(sum);
    // A draw of 0 lands on the first entry of the arrangement: a weight-0 entry when there is
    // one. "Any order" among them is made a random order, so each is equally likely.
    if (draw == 0 && !zero_weight.empty()) return zero_weight[random(zero_weight.size() - 1)];
    std::uint64_t running = 0;
    for (std::size_t i : weighted) {
        running += targets[i].weight;
        if (running >= draw) return i;
    }
    return weighted.empty() ? zero_weight.front() : weighted.back();  // unreachable with a fair source
}

UniformRandom system_random() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    return [engine](std::uint64_t upper) {
        return std::uniform_int_distribution<std::uint64_t>(0, upper)(*engine);
    };
}

}  // namespace dnsd::ctl
