#pragma once
// Hashing of DNS labels and names for the zone's look-up tables. The query path looks them up
// with a std::string_view into its stack buffer (transparent hashing), so no key string is ever
// built per query. Keys and queried names are already lower case (QueryName lower-cases), so
// the hash works on the bytes as they are.
//
// A multiply-fold over 8-byte words: a 64x64→128-bit product folded to 64 bits per word, a few
// instructions where std::hash (MurmurHash2 over bytes) takes about a hundred for a short label.
// The mixing keys start from a per-process random seed, so a client that can name services
// (anyone who may send a heartbeat) cannot prepare labels that all land in one probe sequence.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>

namespace dnsd::zones {

namespace name_hash_detail {

__extension__ typedef unsigned __int128 u128;

inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
    const u128 product = static_cast<u128>(a) * b;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

inline std::uint64_t load64(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline std::uint64_t load32(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Chosen once per process, before main() (name_hash.cpp).
std::uint64_t random_seed();
inline const std::uint64_t seed = random_seed();

// Odd constants with well-spread bits (from the digits of pi), mixed with the seed.
inline constexpr std::uint64_t k0 = 0x243f6a8885a308d3ULL;
inline constexpr std::uint64_t k1 = 0x13198a2e03707345ULL;

}  // namespace name_hash_detail

// Every byte of `s` counts; strings of different lengths differ in the first mixing key.
inline std::uint64_t hash_name(std::string_view s) noexcept {
    using namespace name_hash_detail;
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t h = seed ^ (k0 * (n + 1));
    while (n > 8) {
        h = fold_multiply(load64(p) ^ k1, h ^ k0);
        p += 8;
        n -= 8;
    }
    // The last 1 to 8 bytes in one word; overlapping reads cover every byte without reading
    // past the end of the string.
    std::uint64_t last = 0;
    if (n >= 4) {
        last = load32(p) | (load32(p + n - 4) << 32);
    } else if (n > 0) {
        const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])); };
        last = (byte(0) << 16) | (byte(n / 2) << 8) | byte(n - 1);
    }
    h = fold_multiply(last ^ k1, h ^ k0);
    return fold_multiply(h ^ k0, h ^ seed ^ k1);
}

struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return hash_name(s); }
};

using NameEqual = std::equal_to<>;

}  // namespace dnsd::zones
