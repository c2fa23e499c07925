// The registry's own bookkeeping kept inside the entries (expiry heap slot, change log
// position): renewals move entries instead of adding them, and every way out of the registry
// takes its entries along.
#include <gtest/gtest.h>

#include "instance_spec.hpp"

#include "registry/registry.hpp"

namespace dnsd::registry {
namespace {

using test::instance_spec;

class RegistryBookkeepingTest : public ::testing::Test {
protected:
    ManualClock clock;
    Registry reg{clock};
};

TEST_F(RegistryBookkeepingTest, ARenewalMovesTheDeadlineInsteadOfAddingOne) {
    reg.renew(instance_spec("api", "a1", 10'000));
    for (int i = 0; i < 50; ++i) {
        clock.advance_ms(5'000);
        reg.renew(instance_spec("api", "a1", 10'000));
    }
    EXPECT_EQ(reg.next_deadline(), clock.mono_ms() + 10'001);
    clock.advance_ms(10'000);
    EXPECT_EQ(reg.sweep(), 0u);
    clock.advance_ms(1);
    EXPECT_EQ(reg.sweep(), 1u);
    // Only the service's memory is left: an hour away.
    EXPECT_EQ(reg.next_deadline(), clock.mono_ms() + 3'600'001);
}

TEST_F(RegistryBookkeepingTest, ARenewalDuringHoldingLeavesTheHeldList) {
    reg.renew(instance_spec("api", "a1", 1'000));
    reg.renew(instance_spec("api", "a2", 1'000));
    clock.advance_ms(1'001);
    EXPECT_EQ(reg.sweep_holding("dnsd", clock.mono_ms() + 5'000), 0u);
    EXPECT_EQ(reg.held_count(), 2u);
    reg.renew(instance_spec("api", "a1", 1'000));
    EXPECT_EQ(reg.held_count(), 1u);
    EXPECT_TRUE(reg.deregister("api", "a2"));  // a held instance can go too
    EXPECT_EQ(reg.held_count(), 0u);
    EXPECT_EQ(reg.next_deadline(), clock.mono_ms() + 1'001);
    clock.advance_ms(1'001);
    EXPECT_EQ(reg.sweep(), 1u);
    EXPECT_EQ(reg.instance_count(), 0u);
}

TEST_F(RegistryBookkeepingTest, TheChangeLogFollowsAKeyFromInstanceToTombstoneAndBack) {
    reg.renew(instance_spec("api", "a1"));
    const std::uint64_t seq = reg.change_seq();
    reg.deregister("api", "a1");
    auto changes = reg.changes_since(seq);
    ASSERT_TRUE(changes);
    EXPECT_TRUE(changes->instances.empty());
    ASSERT_EQ(changes->tombstones.size(), 1u);
    EXPECT_EQ(changes->tombstones[0].key, (InstanceKey{"api", "a1"}));
    reg.renew(instance_spec("api", "a1"));
    changes = reg.changes_since(0);
    ASSERT_TRUE(changes);
    ASSERT_EQ(changes->instances.size(), 1u);  // one entry per key, whatever the history
    EXPECT_TRUE(changes->tombstones.empty());
}

TEST_F(RegistryBookkeepingTest, AForgottenTombstoneRaisesTheHistoryFloor) {
    RegistryOptions options;
    options.tombstone_ms = 1'000;
    options.tombstone_margin_ms = 0;
    Registry r{clock, options};
    r.renew(instance_spec("api", "a1", 500));
    r.renew(instance_spec("api", "a2", 60'000));
    r.deregister("api", "a1");
    const std::uint64_t tomb_seq = r.change_seq();
    clock.advance_ms(1'001);
    r.sweep();
    EXPECT_TRUE(r.tombstones().empty());
    EXPECT_EQ(r.history_floor(), tomb_seq);
    EXPECT_FALSE(r.changes_since(tomb_seq - 1).has_value());
    ASSERT_TRUE(r.changes_since(tomb_seq).has_value());
}

TEST_F(RegistryBookkeepingTest, AKeyRestoredTwiceKeepsTheLaterCopyAndOneDeadline) {
    reg.restore_instance(instance_spec("api", "a1", 30'000), 1, 5'000);
    reg.restore_instance(instance_spec("api", "a1", 30'000), 2, 20'000);
    reg.finish_restore();
    EXPECT_EQ(reg.instance_count(), 1u);
    EXPECT_EQ(reg.find("api", "a1")->src_ts_ms, 2);
    EXPECT_EQ(reg.next_deadline(), clock.mono_ms() + 20'001);
    clock.advance_ms(20'001);
    EXPECT_EQ(reg.sweep(), 1u);
    EXPECT_EQ(reg.instance_count(), 0u);
}

// Only services without instances are candidates for forgetting (the sweep looks at just
// those): one that gets an instance back is not forgotten, and one restored as known is.
TEST_F(RegistryBookkeepingTest, AServiceLeftEmptyIsForgottenUnlessAnInstanceCameBack) {
    reg.renew(instance_spec("api", "a1", 1'000));
    reg.renew(instance_spec("web", "w1", 1'000));
    clock.advance_ms(1'001);
    EXPECT_EQ(reg.sweep(), 2u);  // both empty now, both still known
    EXPECT_EQ(reg.next_deadline(), clock.mono_ms() + 3'600'001);
    reg.renew(instance_spec("web", "w2", 7'200'000));  // web has an instance again
    reg.restore_known_service("old", 3'000'000);       // known for 50 minutes already
    EXPECT_EQ(reg.next_deadline(), clock.mono_ms() + 600'001);
    clock.advance_ms(600'001);
    reg.sweep();
    EXPECT_EQ(reg.find("old"), nullptr);
    EXPECT_NE(reg.find("api"), nullptr);
    clock.advance_ms(3'000'000);
    reg.sweep();
    EXPECT_EQ(reg.find("api"), nullptr);
    ASSERT_NE(reg.find("web"), nullptr);
    EXPECT_EQ(reg.find("web")->instances.size(), 1u);
    // With every empty service gone, the next thing due is web's lease end.
    EXPECT_EQ(reg.next_deadline(), reg.find("web", "w2")->expires_at() + 1);
}

}  // namespace
}  // namespace dnsd::registry
