// capture_snapshot (control thread) + encode_snapshot(SnapshotData) (writer thread) must give
// exactly the file the one-step encoder gives, with every duration measured at capture time.
// And a restore must not turn the restored registry into news for peers.
#include <gtest/gtest.h>

#include "registry/snapshot_decode.hpp"
#include "registry/snapshot_encode.hpp"
#include "registry/snapshot_restore.hpp"
#include "instance_spec.hpp"

namespace dnsd::registry {
namespace {

using test::instance_spec;

class SnapshotCaptureTest : public ::testing::Test {
protected:
    SnapshotCaptureTest() {
        reg.renew(instance_spec("api", "a1", 30'000));
        reg.renew(instance_spec("api", "a2", 60'000));
        reg.renew(instance_spec("db", "d1", 30'000));
        reg.deregister("db", "d1");  // a tombstone, and db known without instances
        clock.advance_ms(10'000);
    }

    ManualClock clock;
    Registry reg{clock};
};

TEST_F(SnapshotCaptureTest, CaptureMeasuresDurationsWhenTaken) {
    const SnapshotData data = capture_snapshot(reg);
    ASSERT_EQ(data.instances.size(), 2u);
    EXPECT_EQ(data.instances[0].spec.id, "a1");
    EXPECT_EQ(data.instances[0].remaining_ms, 20'000);
    EXPECT_EQ(data.instances[1].remaining_ms, 50'000);
    ASSERT_EQ(data.tombstones.size(), 1u);
    EXPECT_EQ(data.tombstones[0].age_ms, 10'000);
    ASSERT_EQ(data.known_services.size(), 1u);
    EXPECT_EQ(data.known_services[0].service, "db");
    EXPECT_EQ(data.known_services[0].idle_ms, 10'000);
    EXPECT_EQ(data.index, reg.index());
    EXPECT_EQ(data.written_wall_ms, clock.wall_ms());
}

TEST_F(SnapshotCaptureTest, EncodingACaptureLaterGivesTheSameFileAsEncodingThen) {
    const std::string direct = encode_snapshot(reg);
    const SnapshotData data = capture_snapshot(reg);
    clock.advance_ms(5'000);  // the writer thread runs later: the copy must not age
    reg.renew(instance_spec("web", "w1"));
    EXPECT_EQ(encode_snapshot(data), direct);
}

TEST_F(SnapshotCaptureTest, RestoredEntriesAreNoNewsButPeersCanStillAskForEverything) {
    SnapshotDecodeResult decoded = decode_snapshot(encode_snapshot(reg));
    ASSERT_TRUE(decoded.ok()) << decoded.error;
    ManualClock later_clock;
    Registry restored{later_clock};
    restore_snapshot(std::move(decoded.data), restored);
    ASSERT_EQ(restored.instance_count(), 2u);
    // Nothing to push right after the restore...
    const auto news = restored.changes_since(restored.change_seq());
    ASSERT_TRUE(news.has_value());
    EXPECT_TRUE(news->empty());
    // ...a peer holding a position from before gets "ask for everything"...
    EXPECT_FALSE(restored.changes_since(0).has_value());
    EXPECT_EQ(restored.full_state().instances.size(), 2u);
    // ...and changes after the restore are news as usual.
    restored.renew(instance_spec("web", "w1"));
    const auto after = restored.changes_since(restored.history_floor());
    ASSERT_TRUE(after.has_value());
    ASSERT_EQ(after->instances.size(), 1u);
    EXPECT_EQ(after->instances[0].spec.id, "w1");
}

}  // namespace
}  // namespace dnsd::registry
