#include "zones/compression_table.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace dnsd::zones {
namespace {

TEST(CompressionTable, RemembersTheFirstOffsetOfEachSuffix) {
    CompressionTable t;
    const std::string_view svc("\3svc\0", 5);
    EXPECT_FALSE(t.find(svc));
    t.remember(svc, 16);
    t.remember(svc, 40);  // a later copy: pointers keep going to the first
    ASSERT_TRUE(t.find(svc));
    EXPECT_EQ(*t.find(svc), 16);
    EXPECT_EQ(t.size(), 1u);
}

TEST(CompressionTable, IgnoresOffsetsAPointerCannotReach) {
    CompressionTable t;
    t.remember(std::string_view("\1a\0", 3), 0x4000);
    EXPECT_FALSE(t.find(std::string_view("\1a\0", 3)));
    t.remember(std::string_view("\1a\0", 3), 0x3fff);
    EXPECT_EQ(*t.find(std::string_view("\1a\0", 3)), 0x3fff);
}

TEST(CompressionTable, TruncateForgetsLaterEntries) {
    CompressionTable t;
    t.remember(std::string_view("\1a\0", 3), 12);
    const std::size_t mark = t.size();
    t.remember(std::string_view("\1b\0", 3), 20);
    t.remember(std::string_view("\1c\0", 3), 30);
    t.truncate(mark);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_TRUE(t.find(std::string_view("\1a\0", 3)));
    EXPECT_FALSE(t.find(std::string_view("\1b\0", 3)));
    EXPECT_FALSE(t.find(std::string_view("\1c\0", 3)));
    // Forgotten entries can be learnt again at their new place.
    t.remember(std::string_view("\1b\0", 3), 25);
    EXPECT_EQ(*t.find(std::string_view("\1b\0", 3)), 25);
}

TEST(CompressionTable, FrozenTableFindsButRemembersNothing) {
    CompressionTable t;
    t.remember(std::string_view("\1a\0", 3), 12);
    t.freeze(true);
    t.remember(std::string_view("\1b\0", 3), 20);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(*t.find(std::string_view("\1a\0", 3)), 12);
    EXPECT_FALSE(t.find(std::string_view("\1b\0", 3)));
    t.freeze(false);
    t.remember(std::string_view("\1b\0", 3), 30);
    EXPECT_EQ(*t.find(std::string_view("\1b\0", 3)), 30);
}

TEST(CompressionTable, GrowsAndTruncatesLikeAPlainMapModel) {
    // Thousands of suffixes (the table grows many times), with rollbacks to random marks:
    // every answer must match a map that records first offsets and forgets in LIFO order.
    CompressionTable t;
    std::vector<std::pair<std::string, std::uint16_t>> model;  // insertion order
    const auto model_find = [&](const std::string& s) -> std::optional<std::uint16_t> {
        for (const auto& [name, offset] : model)
            if (name == s) return offset;
        return std::nullopt;
    };
    std::uint32_t seed = 12345;
    const auto next = [&] { return seed = seed * 1103515245u + 12345u; };
    for (int round = 0; round < 4000; ++round) {
        const std::string name = "\5n" + std::to_string(next() % 1500) + "\0";
        const std::uint16_t offset = static_cast<std::uint16_t>(12 + round % 0x3f00);
        t.remember(name, offset);
        if (!model_find(name)) model.emplace_back(name, offset);
        if (next() % 97 == 0) {
            const std::size_t mark = model.empty() ? 0 : next() % model.size();
            t.truncate(mark);
            model.resize(mark);
        }
        ASSERT_EQ(t.size(), model.size());
        const std::string probe = "\5n" + std::to_string(next() % 1500) + "\0";
        ASSERT_EQ(t.find(probe), model_find(probe)) << "round " << round;
    }
}

}  // namespace
}  // namespace dnsd::zones
