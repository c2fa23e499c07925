#include "zones/name_hash.hpp"

#include <chrono>
#include <random>

namespace dnsd::zones::name_hash_detail {

std::uint64_t random_seed() {
    // random_device may fail where no entropy source exists; the clock still differs per start.
    std::uint64_t s = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    try {
        std::random_device device;
        s ^= (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (...) {
    }
    return s;
}

}  // namespace dnsd::zones::name_hash_detail
