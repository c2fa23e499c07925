#include "registry/registry.hpp"

#include <algorithm>
#include <random>

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

// The count comes from the deadline heap's top and the held list, not a walk: it must agree
// with one through renewals, expiries, held instances and sweeps.
TEST_F(RegistryTest, DueExpiriesAgreesWithAWalkOverEveryInstance) {
    std::mt19937 rng(7);
    const auto spec = [&](int i) {
        return instance_spec("s" + std::to_string(i % 13), "i" + std::to_string(i),
                             1'000 + static_cast<std::int64_t>(rng() % 60'000));
    };
    for (int i = 0; i < 400; ++i) reg.renew(spec(i));
    const auto walk = [&](std::string_view except) {
        std::size_t due = 0;
        for (const auto& [name, service] : reg.services())
            for (const auto& [id, inst] : service.instances)
                if (name != except && inst.expired(clock.mono_ms())) ++due;
        return due;
    };
    std::size_t seen_due = 0;
    for (int step = 0; step < 30; ++step) {
        clock.advance_ms(2'000);
        for (int k = 0; k < 10; ++k) reg.renew(spec(static_cast<int>(rng() % 400)));
        EXPECT_EQ(reg.due_expiries(""), walk("")) << "step " << step;
        EXPECT_EQ(reg.due_expiries("s3"), walk("s3")) << "step " << step;
        seen_due += walk("");
        if (step == 10) {
            reg.sweep_holding("s5", clock.mono_ms() + 100'000);  // the rest leave the heap, held
            ASSERT_GT(reg.held_count(), 0u);
        }
        if (step == 20) reg.sweep();
    }
    EXPECT_GT(seen_due, 0u) << "the leases never ran out: the comparison proved nothing";
}

// expiring_soon() looks only at the heap's earliest entries (and the held list); it must pick
// what a walk over every instance picks, with ttls of several lengths.
TEST_F(RegistryTest, ExpiringSoonAgreesWithAWalkOverEveryInstance) {
    std::mt19937 rng(11);
    const std::int64_t ttls[] = {3'000, 10'000, 30'000, 90'000};
    const auto spec = [&](int i) {
        return instance_spec("s" + std::to_string(i % 7), "i" + std::to_string(i), ttls[rng() % 4]);
    };
    for (int i = 0; i < 300; ++i) reg.renew(spec(i));
    const auto walk = [&](std::size_t limit) {
        const MonoMs now = clock.mono_ms();
        std::vector<std::pair<std::int64_t, InstanceKey>> soon;
        for (const auto& [name, service] : reg.services())
            for (const auto& [id, inst] : service.instances)
                if (inst.remaining_ms(now) < inst.spec.ttl_ms / 3) soon.emplace_back(inst.remaining_ms(now), InstanceKey{name, id});
        std::sort(soon.begin(), soon.end());
        std::vector<InstanceKey> out;
        for (std::size_t i = 0; i < std::min(limit, soon.size()); ++i) out.push_back(soon[i].second);
        return out;
    };
    std::size_t seen = 0;
    // 100 s in all: the longest leases too come within a third of their end.
    for (int step = 0; step < 40; ++step) {
        clock.advance_ms(2'500);
        for (int k = 0; k < 8; ++k) reg.renew(spec(static_cast<int>(rng() % 300)));
        EXPECT_EQ(reg.expiring_soon(16), walk(16)) << "step " << step;
        EXPECT_EQ(reg.expiring_soon(1'000), walk(1'000)) << "step " << step;
        seen += walk(1'000).size();
        if (step == 15) reg.sweep_holding("s2", clock.mono_ms() + 100'000);  // held: outside the heap
        if (step == 25) reg.sweep();
    }
    EXPECT_GT(seen, 0u) << "nothing was ever expiring soon: the comparison proved nothing";
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
