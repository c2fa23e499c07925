#include "zones/name_hash.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

namespace dnsd::zones {
namespace {

TEST(NameHash, EqualNamesHashEqualAndTransparently) {
    const std::string owned = "api-gateway";
    EXPECT_EQ(hash_name(owned), hash_name(std::string_view("api-gateway")));
    EXPECT_EQ(NameHash{}(owned), hash_name(owned));
}

TEST(NameHash, EveryByteAndTheLengthCount) {
    // Lengths around every word boundary and the short-tail cases (1-3, 4-7, 8 bytes).
    for (std::size_t length = 1; length <= 40; ++length) {
        const std::string base(length, 'a');
        const std::uint64_t h = hash_name(base);
        for (std::size_t i = 0; i < length; ++i) {
            std::string changed = base;
            changed[i] = 'b';
            EXPECT_NE(hash_name(changed), h) << "length " << length << ", byte " << i;
        }
        EXPECT_NE(hash_name(base + 'a'), h) << "length " << length;
    }
    // Zero bytes are bytes too: a shorter string is not a longer one padded with zeros.
    std::set<std::uint64_t> zeros;
    for (std::size_t length = 0; length <= 17; ++length) zeros.insert(hash_name(std::string(length, '\0')));
    EXPECT_EQ(zeros.size(), 18u);
}

TEST(NameHash, SpreadsSequentialNamesOverShardsAndSlots) {
    // ServiceIndex picks a shard by the top byte and a slot by the low bits: both must spread
    // names that differ in a digit or two. 100,000 names, about 390 per shard.
    std::array<int, 256> shards{};
    std::array<int, 1024> slots{};
    for (int i = 0; i < 100'000; ++i) {
        const std::uint64_t h = hash_name("s" + std::to_string(i));
        ++shards[h >> 56];
        ++slots[h & 1023];
    }
    for (int count : shards) {
        EXPECT_GT(count, 250);
        EXPECT_LT(count, 550);
    }
    for (int count : slots) {
        EXPECT_GT(count, 40);  // about 98 each
        EXPECT_LT(count, 170);
    }
}

}  // namespace
}  // namespace dnsd::zones
