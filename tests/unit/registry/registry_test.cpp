#include "registry/registry.hpp"

#include <gtest/gtest.h>

#include "instance_spec.hpp"

namespace dnsd::registry {
namespace {

using test::instance_spec;

class RegistryTest : public ::testing::Test {
protected:
    ManualClock clock;
    Registry reg{clock};
};

TEST_F(RegistryTest, NewInstanceIsCreatedAndBumpsBothIndexes) {
    const auto out = reg.renew(instance_spec("api", "a1"));
    EXPECT_EQ(out.result, RenewResult::created);
    EXPECT_EQ(out.index, 1u);
    EXPECT_EQ(reg.index(), 1u);
    ASSERT_NE(reg.find("api"), nullptr);
    EXPECT_EQ(reg.find("api")->modify_index, 1u);
    EXPECT_EQ(reg.instance_count(), 1u);
    EXPECT_EQ(reg.take_changed().names(), (std::set<std::string>{"api"}));
    EXPECT_TRUE(reg.take_changed().empty());
}

TEST_F(RegistryTest, PureRenewalMovesTheLeaseButNotTheIndex) {
    reg.renew(instance_spec("api", "a1"));
    reg.take_changed();
    const Instance* inst = reg.find("api", "a1");
    auto cell = inst->lease;
    const MonoMs before = cell->expires_at.load();
    clock.advance_ms(10'000);
    const auto out = reg.renew(instance_spec("api", "a1"));
    EXPECT_EQ(out.result, RenewResult::renewed);
    EXPECT_EQ(reg.index(), 1u);
    EXPECT_TRUE(reg.take_changed().empty());
    EXPECT_EQ(cell->expires_at.load(), before + 10'000);  // the shared cell moved in place
}

TEST_F(RegistryTest, ChangedFieldIsAnUpdateWithANewIndex) {
    reg.renew(instance_spec("api", "a1"));
    auto s = instance_spec("api", "a1");
    s.port = 9000;
    const auto out = reg.renew(s);
    EXPECT_EQ(out.result, RenewResult::updated);
    EXPECT_EQ(reg.index(), 2u);
    EXPECT_EQ(reg.find("api", "a1")->spec.port, 9000);
    EXPECT_EQ(reg.find("api", "a1")->modify_index, 2u);
}

TEST_F(RegistryTest, OnlyANewerSrcTsReplacesACopy) {
    reg.renew(instance_spec("api", "a1"), 5'000);
    auto older = instance_spec("api", "a1");
    older.port = 1;
    EXPECT_EQ(reg.renew(older, 4'999).result, RenewResult::stale);
    EXPECT_EQ(reg.renew(older, 5'000).result, RenewResult::stale);
    EXPECT_EQ(reg.find("api", "a1")->spec.port, 8861);
    EXPECT_EQ(reg.renew(older, 5'001).result, RenewResult::updated);
    EXPECT_EQ(reg.find("api", "a1")->spec.port, 1);
}

TEST_F(RegistryTest, AssignedTimestampIsStrictlyNewerEvenWhenTheWallClockGoesBack) {
    const auto first = reg.renew(instance_spec("api", "a1"));
    clock.set_wall_ms(clock.wall_ms() - 3'600'000);  // someone stepped the clock back an hour
    const auto second = reg.renew(instance_spec("api", "a1"));
    EXPECT_GT(second.src_ts_ms, first.src_ts_ms);
    const auto third = reg.renew(instance_spec("api", "a1"));
    EXPECT_GT(third.src_ts_ms, second.src_ts_ms);
}

TEST_F(RegistryTest, ExpiryIsNowMinusRcvTsGreaterThanTtl) {
    reg.renew(instance_spec("api", "a1", 30'000));
    reg.take_changed();
    clock.advance_ms(30'000);
    EXPECT_EQ(reg.sweep(), 0u);  // exactly at ttl: still alive
    EXPECT_NE(reg.find("api", "a1"), nullptr);
    clock.advance_ms(1);
    EXPECT_EQ(reg.sweep(), 1u);
    EXPECT_EQ(reg.find("api", "a1"), nullptr);
    EXPECT_EQ(reg.expired_total(), 1u);
    EXPECT_EQ(reg.take_changed().names(), (std::set<std::string>{"api"}));
}

TEST_F(RegistryTest, RenewalPostponesExpiry) {
    reg.renew(instance_spec("api", "a1", 10'000));
    clock.advance_ms(8'000);
    reg.renew(instance_spec("api", "a1", 10'000));
    clock.advance_ms(8'000);
    EXPECT_EQ(reg.sweep(), 0u);
    EXPECT_NE(reg.find("api", "a1"), nullptr);
    EXPECT_EQ(reg.next_deadline(), clock.mono_ms() + 2'000 + 1);
}

// next_deadline() caches its walk over tombstones and empty services: a deregistration after
// a first call must still bring the deadline forward to the tombstone's and service's end.
TEST_F(RegistryTest, NextDeadlineSeesATombstoneAddedAfterItWasAsked) {
    constexpr std::int64_t day = 86'400'000;
    reg.renew(instance_spec("api", "a1", day));
    const MonoMs lease_end = clock.mono_ms() + day + 1;
    EXPECT_EQ(reg.next_deadline(), lease_end);
    reg.renew(instance_spec("web", "w1", day));
    ASSERT_TRUE(reg.deregister("web", "w1"));
    const auto next = reg.next_deadline();
    ASSERT_TRUE(next.has_value());
    EXPECT_LT(*next, lease_end);  // the tombstone and the empty "web" end within hours
    EXPECT_GT(*next, clock.mono_ms());
}

// due_expiries() answers from the deadline heap while nothing is due, and still counts an
// expired instance once its lease has run out.
TEST_F(RegistryTest, DueExpiriesCountsOnlyRunOutLeases) {
    reg.renew(instance_spec("api", "a1", 1'000));
    reg.renew(instance_spec("api", "a2", 5'000));
    EXPECT_EQ(reg.due_expiries(""), 0u);
    clock.advance_ms(1'001);
    EXPECT_EQ(reg.due_expiries(""), 1u);
    EXPECT_EQ(reg.due_expiries("api"), 0u);
}

TEST_F(RegistryTest, ExpiredServiceStaysKnownForAnHourThenIsForgotten) {
    reg.renew(instance_spec("api", "a1", 1'000));
    clock.advance_ms(1'001);
    reg.sweep();
    ASSERT_NE(reg.find("api"), nullptr);
    EXPECT_TRUE(reg.find("api")->instances.empty());
    clock.advance_ms(3'600'000);
    reg.sweep();
    EXPECT_NE(reg.find("api"), nullptr);
    clock.advance_ms(1);
    reg.sweep();
    EXPECT_EQ(reg.find("api"), nullptr);
}

TEST_F(RegistryTest, DeregisterLeavesATombstoneThatOlderCopiesCannotBeat) {
    reg.renew(instance_spec("api", "a1"), 5'000);
    ASSERT_TRUE(reg.deregister("api", "a1"));
    EXPECT_EQ(reg.find("api", "a1"), nullptr);
    EXPECT_EQ(reg.tombstones().size(), 1u);
    EXPECT_EQ(reg.renew(instance_spec("api", "a1"), 5'000).result, RenewResult::stale);
    EXPECT_EQ(reg.find("api", "a1"), nullptr);
    EXPECT_FALSE(reg.deregister("api", "a1"));
    EXPECT_FALSE(reg.deregister("nope", "a1"));
}

TEST_F(RegistryTest, ANewHeartbeatWithoutTimestampComesBackAfterDeregistration) {
    reg.renew(instance_spec("api", "a1"));
    reg.deregister("api", "a1");
    const auto out = reg.renew(instance_spec("api", "a1"));
    EXPECT_EQ(out.result, RenewResult::created);
    EXPECT_TRUE(reg.tombstones().empty());
}

TEST_F(RegistryTest, TombstonesAreForgottenAfterTheirTime) {
    reg.renew(instance_spec("api", "a1"));
    reg.deregister("api", "a1");
    clock.advance_ms(3'600'001);
    reg.sweep();
    EXPECT_TRUE(reg.tombstones().empty());
}

TEST_F(RegistryTest, DeregisteredLeaseCellReadsAsOver) {
    reg.renew(instance_spec("api", "a1"));
    auto cell = reg.find("api", "a1")->lease;
    reg.deregister("api", "a1");
    EXPECT_LT(cell->expires_at.load(), clock.mono_ms());
}

TEST_F(RegistryTest, StaleHeartbeatForUnknownServiceDoesNotCreateIt) {
    reg.renew(instance_spec("api", "a1"), 5'000);
    reg.deregister("api", "a1");
    clock.advance_ms(3'600'001);
    reg.sweep();  // service forgotten, tombstone too
    ASSERT_EQ(reg.find("api"), nullptr);
    reg.renew(instance_spec("api", "a1"), 6'000);
    reg.deregister("api", "a1");
    EXPECT_EQ(reg.renew(instance_spec("api", "a1"), 5'999).result, RenewResult::stale);
}

TEST_F(RegistryTest, RestoreKeepsTheRemainingLease) {
    reg.restore_index(41);
    reg.restore_instance(instance_spec("api", "a1", 30'000), 123, 15'000);
    const Instance* inst = reg.find("api", "a1");
    ASSERT_NE(inst, nullptr);
    EXPECT_EQ(inst->remaining_ms(clock.mono_ms()), 15'000);
    EXPECT_EQ(inst->src_ts_ms, 123);
    EXPECT_GT(reg.index(), 41u);
    clock.advance_ms(15'001);
    EXPECT_EQ(reg.sweep(), 1u);
}

TEST_F(RegistryTest, RestoredIndexesNeverGoBackwards) {
    reg.restore_instance(instance_spec("api", "a1"), 123, 15'000);
    reg.restore_index(41);
    EXPECT_GT(reg.index(), 41u);
    EXPECT_GT(reg.find("api")->modify_index, 41u);
}

}  // namespace
}  // namespace dnsd::registry
