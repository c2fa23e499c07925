#include "zones/answer_store.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace dnsd::zones {
namespace {

TEST(AnswerStore, GroupsListTheirLeaseCellsAndKeepThemAlive) {
    AnswerStore store;
    std::weak_ptr<registry::LeaseCell> watch;
    {
        auto a = std::make_shared<registry::LeaseCell>(100);
        auto b = std::make_shared<registry::LeaseCell>(200);
        watch = a;
        const std::vector<std::shared_ptr<registry::LeaseCell>> both{a, b};
        EXPECT_EQ(store.add_group({&a, 1}), 0u);
        EXPECT_EQ(store.add_group(both), 1u);
    }
    EXPECT_FALSE(watch.expired());  // the store owns the cells now
    ASSERT_EQ(store.members_of(0).size(), 1u);
    EXPECT_EQ(store.members_of(0)[0]->expires_at.load(), 100);
    ASSERT_EQ(store.members_of(1).size(), 2u);
    EXPECT_EQ(store.members_of(1)[1]->expires_at.load(), 200);
}

TEST(AnswerStore, EmptyGroupAndMissingCellsHaveNoMembers) {
    AnswerStore store;
    EXPECT_EQ(store.add_group({}), 0u);
    const std::vector<std::shared_ptr<registry::LeaseCell>> none{nullptr};
    EXPECT_EQ(store.add_group(none), 1u);
    EXPECT_TRUE(store.members_of(0).empty());
    EXPECT_TRUE(store.members_of(1).empty());
}

TEST(AnswerStore, GroupsCarryATtlCap) {
    AnswerStore store;
    EXPECT_EQ(store.groups.at(store.add_group({})).ttl_cap, UINT32_MAX);  // max_ttl alone
    EXPECT_EQ(store.groups.at(store.add_group({}, 0)).ttl_cap, 0u);
}

TEST(AnswerStore, RotationOfAnAnswerListsItsRecordStarts) {
    AnswerStore store;
    store.record_starts = {1, 2, 25, 41, 57};
    PreparedAnswer a;
    a.rotation_at = 2;
    a.rotation_count = 3;
    a.rotation_end = 73;
    ASSERT_EQ(store.rotation_of(a).size(), 3u);
    EXPECT_EQ(store.rotation_of(a)[0], 25);
    EXPECT_EQ(store.rotation_of(a)[2], 57);
    EXPECT_TRUE(store.rotation_of(PreparedAnswer{}).empty());
}

TEST(AnswerStore, SpansOfAnAnswer) {
    AnswerStore store;
    store.bytes = {9, 9, 1, 2, 3};
    store.patches = {{1, 0}, {20, 0}, {30, 1}};
    store.cuts = {{0, 0, 0, 0}, {15, 1, 0, 0}, {40, 2, 0, 1}};
    PreparedAnswer a;
    a.bytes_begin = 2;
    a.size = 3;
    a.patches_begin = 1;
    a.patch_count = 2;
    a.cuts_begin = 1;
    a.cut_count = 2;
    EXPECT_TRUE(a.present());
    EXPECT_FALSE(PreparedAnswer{}.present());
    ASSERT_EQ(store.message(a).size(), 3u);
    EXPECT_EQ(store.message(a)[0], 1);
    ASSERT_EQ(store.patches_of(a).size(), 2u);
    EXPECT_EQ(store.patches_of(a)[0].offset, 20);
    ASSERT_EQ(store.cuts_of(a).size(), 2u);
    EXPECT_EQ(store.cuts_of(a)[1].ar, 1);
}

}  // namespace
}  // namespace dnsd::zones
