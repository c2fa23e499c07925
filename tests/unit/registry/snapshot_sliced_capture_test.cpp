// A capture taken in slices, with the registry changing between them, must give exactly the
// file a whole capture taken at finish() gives: same entries, same durations.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "registry/snapshot_capture.hpp"
#include "registry/snapshot_encode.hpp"
#include "instance_spec.hpp"

namespace dnsd::registry {
namespace {

using test::instance_spec;

class SlicedCaptureTest : public ::testing::Test {
protected:
    SlicedCaptureTest() {
        for (const char* s : {"api", "db", "web"})
            for (int i = 0; i < 4; ++i) reg.renew(instance_spec(s, "i" + std::to_string(i), 30'000));
        reg.renew(instance_spec("gone", "g1"));
        reg.deregister("gone", "g1");  // a tombstone and a service known without instances
        clock.advance_ms(1'000);
    }

    // Steps one entry at a time, calling `between` before each further step.
    template <typename Between>
    std::string sliced(std::size_t budget, Between between) {
        SlicedCapture capture(reg);
        int step = 0;
        while (!capture.step(budget)) between(step++);
        CaptureParts parts = capture.finish();
        return encode_snapshot(std::move(parts).assemble());
    }

    ManualClock clock;
    Registry reg{clock};
};

TEST_F(SlicedCaptureTest, WithoutChangesItIsTheWholeCapture) {
    const std::string whole = encode_snapshot(reg);
    EXPECT_EQ(sliced(1, [&](int) { clock.advance_ms(0); }), whole);
    EXPECT_EQ(sliced(5, [](int) {}), whole);
    EXPECT_EQ(sliced(std::numeric_limits<std::size_t>::max(), [](int) {}), whole);
}

// The copies go into the storage the writer thread prepared, not a vector of their own, and
// make the same file.
TEST_F(SlicedCaptureTest, CopiesGoIntoThePreparedStorage) {
    const std::string whole = encode_snapshot(reg);
    std::vector<SnapshotInstance> storage = SlicedCapture::storage_for(reg.instance_count());
    ASSERT_GE(storage.capacity(), reg.instance_count() + 1024) << "room for arrivals during the capture";
    const SnapshotInstance* room = storage.data();
    SlicedCapture capture(reg, std::move(storage));
    while (!capture.step(3)) reg.renew(instance_spec("new", "n" + std::to_string(clock.mono_ms())));
    CaptureParts parts = capture.finish();
    EXPECT_EQ(parts.walked.instances.data(), room);
    EXPECT_EQ(encode_snapshot(std::move(parts).assemble()), encode_snapshot(reg));
    EXPECT_NE(encode_snapshot(reg), whole);  // the arrivals are in it
}

TEST_F(SlicedCaptureTest, TooSmallAStorageStillMakesTheWholeCapture) {
    std::vector<SnapshotInstance> small;
    small.reserve(2);
    SlicedCapture capture(reg, std::move(small));
    while (!capture.step(1)) {
    }
    CaptureParts parts = capture.finish();
    EXPECT_EQ(encode_snapshot(std::move(parts).assemble()), encode_snapshot(reg));
}

TEST_F(SlicedCaptureTest, DurationsAreMeasuredAtFinish) {
    std::string expected;
    const std::string text = sliced(1, [&](int) { clock.advance_ms(100); });
    expected = encode_snapshot(reg);  // nothing changed but time: the same moment as finish()
    EXPECT_EQ(text, expected);
}

TEST_F(SlicedCaptureTest, ChangesBehindAndAheadOfTheWalkAreIn) {
    const std::string text = sliced(2, [&](int step) {
        clock.advance_ms(50);
        switch (step) {
            case 0: reg.renew(instance_spec("web", "i9")); break;         // ahead of the walk
            case 2: reg.renew(instance_spec("aaa", "new")); break;        // behind it
            case 3: reg.deregister("api", "i1"); break;                   // walked, now a tombstone
            case 4: reg.renew(instance_spec("api", "i0", 90'000)); break; // walked, updated
            case 5: reg.renew(instance_spec("gone", "g1")); break;        // back from its tombstone
            case 6:
                reg.deregister("db", "i0"), reg.deregister("db", "i1");
                reg.deregister("db", "i2"), reg.deregister("db", "i3");  // db known, empty
                break;
            default: break;
        }
    });
    EXPECT_EQ(text, encode_snapshot(reg));
}

TEST_F(SlicedCaptureTest, ExpiriesAndForgottenEntriesBetweenSlicesAreOut) {
    RegistryOptions short_memory;
    short_memory.tombstone_ms = 2'000;
    short_memory.known_service_ms = 2'000;
    short_memory.tombstone_margin_ms = 0;
    Registry r{clock, short_memory};
    for (int i = 0; i < 6; ++i) r.renew(instance_spec("a", "i" + std::to_string(i), 1'500 + 1'000 * i));
    r.renew(instance_spec("b", "x", 1'000));
    r.deregister("b", "x");
    SlicedCapture capture(r);
    int step = 0;
    while (!capture.step(1)) {
        clock.advance_ms(700);
        r.sweep();
        ++step;
    }
    ASSERT_GT(step, 3);
    CaptureParts parts = capture.finish();
    EXPECT_EQ(encode_snapshot(std::move(parts).assemble()), encode_snapshot(r));
}

// Many random changes between one-entry slices: always the whole capture at finish().
TEST_F(SlicedCaptureTest, RandomChangesBetweenSlicesNeverShowThrough) {
    std::mt19937 rng(20261121);
    for (int round = 0; round < 30; ++round) {
        const std::string text = sliced(1 + round % 3, [&](int) {
            const std::string service = "s" + std::to_string(rng() % 6);
            const std::string id = "i" + std::to_string(rng() % 5);
            switch (rng() % 5) {
                case 0: reg.renew(instance_spec(service, id, 500 + rng() % 5'000)); break;
                case 1: reg.deregister(service, id); break;
                case 2: clock.advance_ms(rng() % 2'000); reg.sweep(); break;
                case 3: reg.merge(instance_spec(service, id), clock.wall_ms() + 1'000'000, 0); break;
                default: reg.merge_tombstone({service, id}, clock.wall_ms() + 2'000'000, 0); break;
            }
        });
        ASSERT_EQ(text, encode_snapshot(reg)) << "round " << round;
    }
}

// Heartbeats keep arriving while the touched keys are re-read: rounds, then finish().
TEST_F(SlicedCaptureTest, ManyChangesDuringTheWalkAreReReadInRoundsAndTheCaptureEnds) {
    for (int i = 0; i < 40; ++i) reg.renew(instance_spec("bulk", "b" + std::to_string(i)));
    int steps = 0;
    const std::string text = sliced(3, [&](int step) {
        ++steps;
        clock.advance_ms(10);
        for (int k = 0; k < 4; ++k) reg.renew(instance_spec("bulk", "b" + std::to_string((step * 4 + k) % 40)));
    });
    EXPECT_EQ(text, encode_snapshot(reg));
    EXPECT_LT(steps, 200);
}

TEST_F(SlicedCaptureTest, TheRegistryStopsNotingChangesAfterwards) {
    {
        SlicedCapture capture(reg);
        while (!capture.step(1)) {}
        capture.finish();
    }
    reg.renew(instance_spec("late", "l1"));
    EXPECT_TRUE(reg.take_touched().empty());
}

}  // namespace
}  // namespace dnsd::registry
