#include "zones/service_index.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace dnsd::zones {
namespace {

std::shared_ptr<const ServiceZone> zone(const std::string& name) {
    auto z = std::make_shared<ServiceZone>();
    z->name = name;
    return z;
}

TEST(ServiceIndex, EmptyFindsNothing) {
    const ServiceIndex index;
    EXPECT_TRUE(index.empty());
    EXPECT_EQ(index.find("api"), nullptr);
}

TEST(ServiceIndex, PutFindEraseAcrossManyShards) {
    ServiceIndexEditor editor{ServiceIndex{}};
    for (int i = 0; i < 1000; ++i) editor.put(zone("s" + std::to_string(i)));
    const ServiceIndex index = std::move(editor).finish();
    EXPECT_EQ(index.size(), 1000u);
    for (int i = 0; i < 1000; ++i) {
        const ServiceZone* z = index.find("s" + std::to_string(i));
        ASSERT_NE(z, nullptr);
        EXPECT_EQ(z->name, "s" + std::to_string(i));
    }
    EXPECT_EQ(index.find("s1000"), nullptr);
    EXPECT_EQ(index.find(""), nullptr);

    ServiceIndexEditor eraser(index);
    eraser.erase("s5");
    eraser.erase("nope");  // not there: no change
    const ServiceIndex smaller = std::move(eraser).finish();
    EXPECT_EQ(smaller.size(), 999u);
    EXPECT_EQ(smaller.find("s5"), nullptr);
    EXPECT_NE(smaller.find("s6"), nullptr);
}

TEST(ServiceIndex, EditingLeavesTheBaseAndUntouchedZonesAlone) {
    ServiceIndexEditor first{ServiceIndex{}};
    for (int i = 0; i < 100; ++i) first.put(zone("s" + std::to_string(i)));
    const ServiceIndex base = std::move(first).finish();
    const ServiceZone* s1 = base.find("s1");
    const ServiceZone* s2 = base.find("s2");

    ServiceIndexEditor editor(base);
    editor.put(zone("s1"));  // replaced
    editor.put(zone("new"));
    editor.erase("s3");
    const ServiceIndex next = std::move(editor).finish();

    // The base (maybe published, maybe being read) did not change.
    EXPECT_EQ(base.find("s1"), s1);
    EXPECT_EQ(base.find("new"), nullptr);
    EXPECT_NE(base.find("s3"), nullptr);
    EXPECT_EQ(base.size(), 100u);
    // The new index replaced s1, shares s2 as the very same object.
    EXPECT_NE(next.find("s1"), s1);
    EXPECT_EQ(next.find("s2"), s2);
    EXPECT_NE(next.find("new"), nullptr);
    EXPECT_EQ(next.find("s3"), nullptr);
    EXPECT_EQ(next.size(), 100u);
}

TEST(ServiceIndex, PuttingTheSameNameTwiceKeepsOne) {
    ServiceIndexEditor editor{ServiceIndex{}};
    editor.put(zone("api"));
    auto second = zone("api");
    const ServiceZone* raw = second.get();
    editor.put(std::move(second));
    const ServiceIndex index = std::move(editor).finish();
    EXPECT_EQ(index.size(), 1u);
    EXPECT_EQ(index.find("api"), raw);
}

// A change to one service copies the owners of one chunk of its shard (64 slots), not of the
// whole shard: the other zones of the shard are not held once more by the new index.
TEST(ServiceIndex, AnEditHoldsAgainOnlyTheZonesOfOneOwnerChunk) {
    std::vector<std::shared_ptr<const ServiceZone>> zones;
    ServiceIndexEditor first{ServiceIndex{}};
    for (int i = 0; i < 60'000; ++i) {  // ~234 per shard: 512 slots, 8 owner chunks each
        zones.push_back(zone("s" + std::to_string(i)));
        first.put(zones.back());
    }
    const ServiceIndex base = std::move(first).finish();
    for (const auto& z : zones) ASSERT_EQ(z.use_count(), 2);  // ours and the base index's

    ServiceIndexEditor editor(base);
    editor.put(zone("s1"));  // replaces s1 in a copy of its shard
    const ServiceIndex next = std::move(editor).finish();
    int held_again = 0;
    for (const auto& z : zones) held_again += z.use_count() == 3 ? 1 : 0;
    EXPECT_GT(held_again, 0);   // s1's chunk neighbours are held by the copied chunk too
    EXPECT_LT(held_again, 64);  // and no more than one chunk's worth
    EXPECT_EQ(zones[1].use_count(), 2);  // s1 itself: ours and the base's, no longer the new index's
    EXPECT_NE(next.find("s1"), zones[1].get());
    EXPECT_EQ(next.find("s2"), zones[2].get());
}

}  // namespace
}  // namespace dnsd::zones
