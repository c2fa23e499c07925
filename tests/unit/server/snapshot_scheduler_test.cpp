// The scheduler captures in slices with the control thread's other work in between; the file
// it writes must still be one moment's registry: heartbeats that land behind the walk are in.
#include "dnsd/snapshot_scheduler.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "registry/clock.hpp"
#include "tests/unit/registry/instance_spec.hpp"
#include "registry/snapshot_decode.hpp"
#include "registry/snapshot_encode.hpp"

namespace dnsd {
namespace {

using namespace std::chrono_literals;

// Leases of ten minutes: nothing expires while the test runs.
registry::InstanceSpec scheduler_test_spec(std::string service, std::string id) {
    return registry::test::instance_spec(std::move(service), std::move(id), 600'000);
}

std::string scheduler_test_read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class SnapshotSchedulerTest : public ::testing::Test {
protected:
    SnapshotSchedulerTest() {
        dir_ = std::filesystem::temp_directory_path() /
               ("dnsd-scheduler-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir_);
    }
    ~SnapshotSchedulerTest() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::filesystem::path dir_;
};

TEST_F(SnapshotSchedulerTest, HeartbeatsBetweenSlicesAreInTheFileAsOfTheCapturesEnd) {
    boost::asio::io_context io;
    registry::ManualClock clock;
    registry::Registry reg(clock);
    // Three slices' worth, all after "hb" in key order: the walk passes "hb" at once.
    const std::size_t bulk = 3 * SnapshotScheduler::capture_slice;
    for (std::size_t i = 0; i < bulk; ++i)
        reg.renew(scheduler_test_spec("svc" + std::to_string(i / 5), "i" + std::to_string(i % 5)));
    const std::filesystem::path file = dir_ / "cache.json";
    Metrics metrics;
    SnapshotScheduler scheduler(io, reg, file, metrics, 0ms);

    // A heartbeat for a new instance at every turn of the control thread, until the file is there.
    int heartbeats = 0;
    std::function<void()> heartbeat = [&] {
        if (std::filesystem::exists(file)) return;
        clock.advance_ms(1);
        reg.renew(scheduler_test_spec("hb", "h" + std::to_string(heartbeats++)));
        boost::asio::post(io, heartbeat);
    };
    scheduler.changed();
    boost::asio::post(io, heartbeat);
    // Each turn runs one short handler, so the bound is time (the writer thread encodes and
    // fsyncs meanwhile), with a cap on turns that a 10 s run cannot reach by accident.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (int i = 0; i < 10'000'000 && !std::filesystem::exists(file) &&
                    std::chrono::steady_clock::now() < deadline;
         ++i)
        io.run_one_for(10ms);
    ASSERT_TRUE(std::filesystem::exists(file));

    registry::SnapshotDecodeResult decoded = registry::decode_snapshot(scheduler_test_read(file));
    ASSERT_TRUE(decoded.ok()) << decoded.error;
    std::set<std::string> heartbeat_ids;
    std::size_t others = 0;
    for (const registry::SnapshotInstance& inst : decoded.data.instances) {
        if (inst.spec.service == "hb") heartbeat_ids.insert(inst.spec.id);
        else ++others;
    }
    // One moment's registry: the first n heartbeats, none missing (the ids sort as text).
    const std::size_t from_heartbeats = heartbeat_ids.size();
    for (std::size_t k = 0; k < from_heartbeats; ++k)
        EXPECT_TRUE(heartbeat_ids.count("h" + std::to_string(k))) << "h" << k << " missing of " << from_heartbeats;
    EXPECT_EQ(others, bulk);
    EXPECT_GE(from_heartbeats, 2u) << "the capture ran in one turn: no heartbeat between slices";
    EXPECT_LE(from_heartbeats, static_cast<std::size_t>(heartbeats));

    // And at shutdown, synchronously: exactly the registry now.
    scheduler.cancel();
    ASSERT_TRUE(scheduler.write_now());
    EXPECT_EQ(scheduler_test_read(file), registry::encode_snapshot(reg));
}

}  // namespace
}  // namespace dnsd
