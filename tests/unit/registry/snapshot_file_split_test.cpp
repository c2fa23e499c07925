// load_snapshot on a file large enough to be decoded in parts (snapshot_split_decode.hpp):
// what a million-instance start-up does, at a size a unit test can afford.
#include <string>

#include <gtest/gtest.h>

#include "registry/snapshot_file.hpp"
#include "temp_dir.hpp"

namespace dnsd::registry {
namespace {

using testing::read_text;
using testing::TempDir;
using testing::write_text;

InstanceSpec large_file_spec(int service, int id) {
    InstanceSpec s;
    s.service = "svc-" + std::to_string(service);
    s.id = "inst-" + std::to_string(id);
    s.address = *IpAddress::parse("10.1." + std::to_string(service % 256) + "." + std::to_string(id));
    s.port = static_cast<std::uint16_t>(8000 + id);
    s.version = "1.2.3";
    s.meta = {{"zone", "a"}, {"rack", std::to_string(service % 7)}};
    s.ttl_ms = 600'000;
    s.node = "node-1";
    return s;
}

class SnapshotFileSplitTest : public ::testing::Test {
protected:
    // Over 8 MiB: two parts of at least 4 MiB each.
    void write_large_snapshot() {
        for (int s = 0; s < 9'000; ++s)
            for (int i = 0; i < 5; ++i) before.renew(large_file_spec(s, i));
        ASSERT_FALSE(write_snapshot(file, before));
        ASSERT_GT(std::filesystem::file_size(file), std::uintmax_t{8} << 20);
    }

    TempDir dir;
    std::filesystem::path file = snapshot_path(dir.path());
    ManualClock before_clock{1'000'000, 1'770'000'000'000};
    Registry before{before_clock};
    ManualClock after_clock{42, 1'770'000'000'000};
    Registry after{after_clock};
};

TEST_F(SnapshotFileSplitTest, ALargeFileDecodedOnTwoThreadsRestoresEveryInstance) {
    write_large_snapshot();
    const LoadReport report = load_snapshot(file, after, 2);
    ASSERT_EQ(report.status, LoadStatus::loaded) << report.summary();
    EXPECT_EQ(report.decode_threads, 2u);
    EXPECT_NE(report.summary().find("on 2 threads"), std::string::npos) << report.summary();
    EXPECT_EQ(after.instance_count(), before.instance_count());
    EXPECT_EQ(after.services().size(), before.services().size());
    for (const auto& [name, service] : before.services())
        for (const auto& [id, instance] : service.instances) {
            const Instance* restored = after.find(name, id);
            ASSERT_NE(restored, nullptr) << name << "/" << id;
            EXPECT_EQ(restored->spec, instance.spec) << name << "/" << id;
            EXPECT_EQ(restored->src_ts_ms, instance.src_ts_ms) << name << "/" << id;
        }
}

TEST_F(SnapshotFileSplitTest, ADamagedEntryInTheSecondHalfRefusesTheWholeFile) {
    write_large_snapshot();
    std::string text = read_text(file);
    const std::size_t late = text.find("\"port\":8003", text.size() * 3 / 4);
    ASSERT_NE(late, std::string::npos);
    text.replace(late, 11, "\"port\":99999");
    write_text(file, text);
    const LoadReport report = load_snapshot(file, after, 2);
    EXPECT_EQ(report.status, LoadStatus::corrupt);
    EXPECT_NE(report.reason.find("port must be an integer from 1 to 65535, not 99999"), std::string::npos)
        << report.reason;
    EXPECT_EQ(after.instance_count(), 0u);
    EXPECT_TRUE(after.services().empty());
    EXPECT_EQ(after.index(), 0u);
}

}  // namespace
}  // namespace dnsd::registry
