#include "registry/snapshot_restore.hpp"

#include <gtest/gtest.h>

namespace dnsd::registry {
namespace {

constexpr WallMs written_at = 1'770'000'000'000;

SnapshotInstance instance(std::string service, std::string id, std::int64_t remaining_ms,
                          std::int64_t ttl_ms = 30'000) {
    SnapshotInstance i;
    i.spec.service = std::move(service);
    i.spec.id = std::move(id);
    i.spec.address = *IpAddress::parse("10.0.0.3");
    i.spec.port = 8861;
    i.spec.ttl_ms = ttl_ms;
    i.src_ts_ms = 777;
    i.remaining_ms = remaining_ms;
    return i;
}

class SnapshotRestoreTest : public ::testing::Test {
protected:
    // The node comes back `down_ms` after the snapshot was written; its monotonic clock has
    // started again from an unrelated value.
    void come_back_after(std::int64_t down_ms) { clock.set_wall_ms(written_at + down_ms); }

    SnapshotData data() {
        SnapshotData d;
        d.written_wall_ms = written_at;
        d.index = 100;
        return d;
    }

    ManualClock clock{5'000, written_at};
    Registry reg{clock};
};

TEST_F(SnapshotRestoreTest, ALeaseContinuesWithTheDowntimeTakenOff) {
    SnapshotData d = data();
    d.instances.push_back(instance("api", "a1", 20'000));  // 30 s lease, 10 s used
    come_back_after(5'000);
    const RestoreCounts c = restore_snapshot(std::move(d), reg);
    EXPECT_EQ(c.downtime_ms, 5'000);
    EXPECT_EQ(c.instances, 1u);
    EXPECT_EQ(c.expired_while_down, 0u);
    const Instance* i = reg.find("api", "a1");
    ASSERT_NE(i, nullptr);
    EXPECT_EQ(i->remaining_ms(clock.mono_ms()), 15'000);
    EXPECT_EQ(i->lease->expires_at.load(), clock.mono_ms() + 15'000);
    EXPECT_EQ(i->src_ts_ms, 777);
}

TEST_F(SnapshotRestoreTest, ALeaseEndingExactlyAtTheRestartIsStillAlive) {
    SnapshotData d = data();
    d.instances.push_back(instance("api", "a1", 5'000));
    come_back_after(5'000);
    const RestoreCounts c = restore_snapshot(std::move(d), reg);
    EXPECT_EQ(c.instances, 1u);
    ASSERT_NE(reg.find("api", "a1"), nullptr);
    EXPECT_FALSE(reg.find("api", "a1")->expired(clock.mono_ms()));
}

TEST_F(SnapshotRestoreTest, ALeaseThatRanOutWhileDownIsNotRestoredButCounted) {
    SnapshotData d = data();
    d.instances.push_back(instance("api", "gone", 4'999));
    d.instances.push_back(instance("api", "kept", 20'000));
    d.instances.push_back(instance("web", "gone", -100));  // already over when written
    come_back_after(5'000);
    const RestoreCounts c = restore_snapshot(std::move(d), reg);
    EXPECT_EQ(c.instances, 1u);
    EXPECT_EQ(c.expired_while_down, 2u);
    EXPECT_EQ(reg.find("api", "gone"), nullptr);
    EXPECT_EQ(reg.find("web", "gone"), nullptr);
    EXPECT_NE(reg.find("api", "kept"), nullptr);
    EXPECT_EQ(reg.instance_count(), 1u);
}

TEST_F(SnapshotRestoreTest, AServiceWhoseInstancesAllExpiredWhileDownStaysKnown) {
    SnapshotData d = data();
    d.instances.push_back(instance("web", "w1", 1'000));
    d.instances.push_back(instance("web", "w2", 3'000));
    come_back_after(5'000);
    const RestoreCounts c = restore_snapshot(std::move(d), reg);
    EXPECT_EQ(c.known_services, 1u);
    const Service* s = reg.find("web");
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->instances.empty());
    // Idle since the later of the two leases ended, 2 s before the restart.
    EXPECT_EQ(s->last_live, clock.mono_ms() - 2'000);
}

TEST_F(SnapshotRestoreTest, TombstonesAndIdleServicesAgeByTheDowntime) {
    SnapshotData d = data();
    d.tombstones.push_back({{"api", "old"}, 1'234, 60'000});
    d.known_services.push_back({"web", 70'000});
    come_back_after(5'000);
    const RestoreCounts c = restore_snapshot(std::move(d), reg);
    EXPECT_EQ(c.tombstones, 1u);
    EXPECT_EQ(c.known_services, 1u);
    ASSERT_EQ(reg.tombstones().size(), 1u);
    const auto& [key, tomb] = *reg.tombstones().begin();
    EXPECT_EQ(key, (InstanceKey{"api", "old"}));
    EXPECT_EQ(tomb.src_ts_ms, 1'234);
    EXPECT_EQ(tomb.rcv_ts, clock.mono_ms() - 65'000);
    ASSERT_NE(reg.find("web"), nullptr);
    EXPECT_EQ(reg.find("web")->last_live, clock.mono_ms() - 75'000);
}

TEST_F(SnapshotRestoreTest, AWallClockSetBackCountsAsNoDowntime) {
    SnapshotData d = data();
    d.instances.push_back(instance("api", "a1", 20'000));
    come_back_after(-60'000);
    const RestoreCounts c = restore_snapshot(std::move(d), reg);
    EXPECT_EQ(c.downtime_ms, 0);
    EXPECT_EQ(reg.find("api", "a1")->remaining_ms(clock.mono_ms()), 20'000);
}

TEST_F(SnapshotRestoreTest, TheIndexAndEveryServicesIndexEndAboveTheSavedOne) {
    SnapshotData d = data();
    d.instances.push_back(instance("api", "a1", 20'000));
    d.instances.push_back(instance("gone", "g1", 500));  // expires while down: stays known
    d.known_services.push_back({"web", 0});
    come_back_after(1'000);
    restore_snapshot(std::move(d), reg);
    EXPECT_GT(reg.index(), 100u);
    ASSERT_EQ(reg.services().size(), 3u);
    for (const auto& [name, service] : reg.services())
        EXPECT_GT(service.modify_index, 100u) << name;
}

}  // namespace
}  // namespace dnsd::registry
