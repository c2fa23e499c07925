// The registry's side of gossip (registry.hpp): merge rules, the change log, holding expiry.
#include <gtest/gtest.h>

#include "instance_spec.hpp"

#include "registry/names.hpp"
#include "registry/registry.hpp"

namespace dnsd::registry {
namespace {

using test::instance_spec;

class GossipMergeTest : public ::testing::Test {
protected:
    ManualClock clock;
    Registry reg{clock};
};

TEST_F(GossipMergeTest, CarriedAgeShortensTheLeaseByWhatTheSourceUsed) {
    EXPECT_EQ(reg.merge(instance_spec("api", "a1"), 100, 12'000), MergeResult::created);
    EXPECT_EQ(reg.find("api", "a1")->remaining_ms(clock.mono_ms()), 18'000);
    EXPECT_EQ(reg.index(), 1u);
}

TEST_F(GossipMergeTest, ACopyWhoseLeaseIsUsedUpIsDeadOnArrival) {
    EXPECT_EQ(reg.merge(instance_spec("api", "a1"), 100, 30'001), MergeResult::expired);
    EXPECT_EQ(reg.find("api"), nullptr);
    EXPECT_EQ(reg.change_seq(), 0u);
}

TEST_F(GossipMergeTest, NewerSrcTsWinsOlderAndEqualAreStale) {
    reg.merge(instance_spec("api", "a1"), 100, 0);
    auto moved = instance_spec("api", "a1");
    moved.port = 9000;
    EXPECT_EQ(reg.merge(moved, 100, 0), MergeResult::stale);
    EXPECT_EQ(reg.merge(moved, 99, 0), MergeResult::stale);
    EXPECT_EQ(reg.merge(moved, 101, 0), MergeResult::updated);
    EXPECT_EQ(reg.find("api", "a1")->spec.port, 9000);
    clock.advance_ms(1'000);
    EXPECT_EQ(reg.merge(moved, 102, 0), MergeResult::renewed);
    EXPECT_EQ(reg.find("api", "a1")->remaining_ms(clock.mono_ms()), 30'000);
}

TEST_F(GossipMergeTest, ANewerSrcTsWithAnOlderReceiptStillWinsButCannotLengthenTheLease) {
    reg.merge(instance_spec("api", "a1"), 100, 0);
    EXPECT_EQ(reg.merge(instance_spec("api", "a1"), 101, 20'000), MergeResult::renewed);
    EXPECT_EQ(reg.find("api", "a1")->remaining_ms(clock.mono_ms()), 10'000);
}

TEST_F(GossipMergeTest, TombstoneRemovesOlderCopyAndSpreadsEvenWithoutOne) {
    reg.merge(instance_spec("api", "a1"), 100, 0);
    EXPECT_EQ(reg.merge_tombstone({"api", "a1"}, 101, 0), MergeResult::deleted);
    EXPECT_EQ(reg.find("api", "a1"), nullptr);
    EXPECT_EQ(reg.merge_tombstone({"api", "a1"}, 101, 0), MergeResult::stale);
    EXPECT_EQ(reg.merge_tombstone({"api", "b1"}, 50, 0), MergeResult::tombstoned);
    EXPECT_EQ(reg.merge(instance_spec("api", "b1"), 49, 0), MergeResult::stale);
    EXPECT_EQ(reg.find("api", "b1"), nullptr);
}

TEST_F(GossipMergeTest, ACopyHeardBeforeTheDeregistrationLosesEvenWithANewerSrcTs) {
    // The deregistration happened 5 s ago; a copy stamped an hour later by a fast clock, but
    // heard 8 s ago, predates it: it must not come back.
    reg.merge_tombstone({"api", "a1"}, 1'000, 5'000);
    EXPECT_EQ(reg.merge(instance_spec("api", "a1"), 1'000 + 3'600'000, 8'000), MergeResult::stale);
    EXPECT_EQ(reg.find("api", "a1"), nullptr);
    // Heard after it and newer: a real comeback.
    EXPECT_EQ(reg.merge(instance_spec("api", "a1"), 1'001, 1'000), MergeResult::created);
}

TEST_F(GossipMergeTest, ATombstoneOlderInTimeDoesNotRemoveANewerCopy) {
    reg.merge(instance_spec("api", "a1"), 2'000, 1'000);
    EXPECT_EQ(reg.merge_tombstone({"api", "a1"}, 1'999, 3'000), MergeResult::stale);
    ASSERT_NE(reg.find("api", "a1"), nullptr);
    // Newer src_ts but made before the copy was heard: the copy is newer by time only, so the
    // rule (both or nothing) lets the tombstone win. The same on every node, whatever the order.
    EXPECT_EQ(reg.merge_tombstone({"api", "a1"}, 2'001, 3'000), MergeResult::deleted);
}

TEST_F(GossipMergeTest, TombstoneOutlivesTheLeaseOfWhatItKilled) {
    reg.renew(instance_spec("api", "day", 86'400'000));
    reg.deregister("api", "day");
    clock.advance_ms(3'600'001);
    reg.sweep();
    EXPECT_EQ(reg.tombstones().size(), 1u);  // an hour is not enough against a day's lease
    clock.advance_ms(86'400'000 + 300'000);
    reg.sweep();
    EXPECT_TRUE(reg.tombstones().empty());
}

TEST_F(GossipMergeTest, AnOldTombstoneIsDeadOnArrival) {
    EXPECT_EQ(reg.merge_tombstone({"api", "a1"}, 1, 3'600'001), MergeResult::expired);
    EXPECT_TRUE(reg.tombstones().empty());
}

TEST_F(GossipMergeTest, ChangesSinceReturnsEachChangedEntryOnceWithItsAge) {
    reg.renew(instance_spec("api", "a1"));
    const std::uint64_t mark = reg.change_seq();
    clock.advance_ms(2'000);
    reg.renew(instance_spec("api", "a2"));
    auto moved = instance_spec("api", "a1");
    moved.port = 1;
    reg.renew(moved);
    reg.renew(moved);  // a pure renewal right after: not logged again (damping)
    reg.deregister("api", "a2");
    clock.advance_ms(500);
    auto delta = reg.changes_since(mark);
    ASSERT_TRUE(delta.has_value());
    EXPECT_EQ(delta->from_seq, mark);
    EXPECT_EQ(delta->to_seq, reg.change_seq());
    ASSERT_EQ(delta->instances.size(), 1u);
    EXPECT_EQ(delta->instances[0].spec.port, 1);
    EXPECT_EQ(delta->instances[0].age_ms, 500);
    ASSERT_EQ(delta->tombstones.size(), 1u);
    EXPECT_EQ(delta->tombstones[0].key, (InstanceKey{"api", "a2"}));
    EXPECT_TRUE(reg.changes_since(reg.change_seq())->empty());
    EXPECT_FALSE(reg.changes_since(reg.change_seq() + 1).has_value());  // another life
}

TEST_F(GossipMergeTest, RenewalsAreLoggedOnceAQuarterOfTheLeaseHasPassed) {
    reg.renew(instance_spec("api", "a1", 40'000));
    const std::uint64_t first = reg.change_seq();
    clock.advance_ms(9'999);
    reg.renew(instance_spec("api", "a1", 40'000));
    EXPECT_EQ(reg.change_seq(), first);
    clock.advance_ms(1);
    reg.renew(instance_spec("api", "a1", 40'000));
    EXPECT_EQ(reg.change_seq(), first + 1);
}

TEST_F(GossipMergeTest, ForgottenTombstonesRaiseTheHistoryFloor) {
    reg.renew(instance_spec("api", "a1"));
    reg.deregister("api", "a1");
    const std::uint64_t before = reg.change_seq();
    clock.advance_ms(3'600'001);
    reg.sweep();
    EXPECT_EQ(reg.history_floor(), before);
    EXPECT_FALSE(reg.changes_since(before - 1).has_value());
    EXPECT_TRUE(reg.changes_since(before).has_value());
}

TEST_F(GossipMergeTest, ChangesWithinAWindowAndFullState) {
    reg.renew(instance_spec("api", "old"));
    clock.advance_ms(10'000);
    reg.renew(instance_spec("api", "new"));
    const ChangeSet window = reg.changes_within(5'000);
    ASSERT_EQ(window.instances.size(), 1u);
    EXPECT_EQ(window.instances[0].spec.id, "new");
    EXPECT_EQ(reg.full_state().instances.size(), 2u);
}

TEST_F(GossipMergeTest, ExpiringSoonListsTheMostUrgentFirstAndCopiesAnswerByKey) {
    reg.merge(instance_spec("api", "a", 30'000), 1, 25'000);
    reg.merge(instance_spec("api", "b", 30'000), 1, 21'000);
    reg.merge(instance_spec("api", "c", 30'000), 1, 0);
    EXPECT_EQ(reg.expiring_soon(10), (std::vector<InstanceKey>{{"api", "a"}, {"api", "b"}}));
    EXPECT_EQ(reg.expiring_soon(1).size(), 1u);
    ChangeSet out;
    reg.append_copies(out, {{"api", "c"}, {"api", "none"}});
    ASSERT_EQ(out.instances.size(), 1u);
    EXPECT_EQ(out.instances[0].spec.id, "c");
}

TEST_F(GossipMergeTest, HoldingKeepsExpiredInstancesAnsweredButEvictsNodes) {
    reg.renew(instance_spec("api", "a1", 1'000));
    reg.renew(instance_spec(std::string(kNodeService), "n1", 1'000));
    clock.advance_ms(1'001);
    EXPECT_EQ(reg.due_expiries(kNodeService), 1u);
    EXPECT_EQ(reg.sweep_holding(kNodeService, clock.mono_ms() + 5'000), 1u);
    ASSERT_NE(reg.find("api", "a1"), nullptr);
    EXPECT_EQ(reg.find(kNodeService, "n1"), nullptr);
    EXPECT_EQ(reg.held_count(), 1u);
    EXPECT_EQ(reg.find("api", "a1")->lease->expires_at.load(), clock.mono_ms() + 5'000);
    // Held entries are not news for peers, and the expiry timer does not spin on them.
    EXPECT_TRUE(reg.full_state().instances.empty());
    EXPECT_FALSE(reg.next_deadline().has_value() && *reg.next_deadline() <= clock.mono_ms());
    EXPECT_EQ(reg.sweep(), 1u);  // holding ends: evicted
    EXPECT_EQ(reg.find("api", "a1"), nullptr);
}

}  // namespace
}  // namespace dnsd::registry
