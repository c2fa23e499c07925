#include "zones/service_index.hpp"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace dnsd::zones
