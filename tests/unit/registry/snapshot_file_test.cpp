#include "registry/snapshot_file.hpp"

#include <gtest/gtest.h>

#include "failing_file_ops.hpp"
#include "registry/snapshot_encode.hpp"
#include "temp_dir.hpp"

namespace dnsd::registry {
namespace {

using testing::FailingFileOps;
using testing::FileStep;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

InstanceSpec full_spec(std::string service, std::string id, std::int64_t ttl_ms = 30'000) {
    InstanceSpec s;
    s.service = std::move(service);
    s.id = std::move(id);
    s.address = *IpAddress::parse("10.0.0.3");
    s.port = 8861;
    s.version = "1.2.3";
    s.weight = 7;
    s.priority = 2;
    s.meta = {{"zone", "a"}, {"note", "say \"hi\""}};
    s.ttl_ms = ttl_ms;
    s.node = "node-1";
    return s;
}

bool is_empty(const Registry& r) {
    return r.instance_count() == 0 && r.services().empty() && r.tombstones().empty() &&
           r.index() == 0;
}

class SnapshotFileTest : public ::testing::Test {
protected:
    // A node that ran: its registry, written to cache.json.
    void write_before_shutdown() { ASSERT_FALSE(write_snapshot(file, before)); }

    // The same node started again `down_ms` later: a new process, so its monotonic clock
    // starts from an unrelated value; only the wall clock moved on by the downtime.
    LoadReport restart_after(std::int64_t down_ms) {
        after_clock.set_wall_ms(before_clock.wall_ms() + down_ms);
        return load_snapshot(file, after);
    }

    TempDir dir;
    std::filesystem::path file = snapshot_path(dir.path());
    ManualClock before_clock{1'000'000, 1'770'000'000'000};
    Registry before{before_clock};
    ManualClock after_clock{42, 0};
    Registry after{after_clock};
};

TEST_F(SnapshotFileTest, SnapshotPathIsCacheJsonInTheDataDirectory) {
    EXPECT_EQ(snapshot_path("/var/lib/dnsd"), std::filesystem::path("/var/lib/dnsd/cache.json"));
}

TEST_F(SnapshotFileTest, RoundTripRestoresEveryFieldAndContinuesTheLeases) {
    before.renew(full_spec("api", "api-1"), 111);
    InstanceSpec v6 = full_spec("api", "api-2", 60'000);
    v6.address = *IpAddress::parse("fd00::2");
    v6.meta.clear();
    before.renew(v6, 222);
    before.renew(full_spec("web", "web-1"));
    before_clock.advance_ms(10'000);
    write_before_shutdown();

    const LoadReport report = restart_after(5'000);
    ASSERT_EQ(report.status, LoadStatus::loaded) << report.summary();
    EXPECT_EQ(report.restored.instances, 3u);
    EXPECT_EQ(report.restored.downtime_ms, 5'000);
    EXPECT_EQ(after.instance_count(), 3u);

    for (const auto& [name, service] : before.services()) {
        for (const auto& [id, old] : service.instances) {
            const Instance* now = after.find(name, id);
            ASSERT_NE(now, nullptr) << name << "/" << id;
            EXPECT_EQ(now->spec, old.spec);
            EXPECT_EQ(now->src_ts_ms, old.src_ts_ms);
            // Lease used 10 s before, 5 s down: 15 s less than the whole lease is left.
            EXPECT_EQ(now->remaining_ms(after_clock.mono_ms()), old.spec.ttl_ms - 15'000);
            EXPECT_EQ(now->lease->expires_at.load(), now->expires_at());
        }
    }
    EXPECT_EQ(after.find("api", "api-1")->remaining_ms(after_clock.mono_ms()), 15'000);
}

TEST_F(SnapshotFileTest, RestoredLeasesExpireOnTime) {
    before.renew(full_spec("api", "api-1"));
    before_clock.advance_ms(10'000);
    write_before_shutdown();
    restart_after(5'000);
    after_clock.advance_ms(15'000);
    EXPECT_EQ(after.sweep(), 0u);
    after_clock.advance_ms(1);
    EXPECT_EQ(after.sweep(), 1u);
    EXPECT_EQ(after.find("api", "api-1"), nullptr);
}

TEST_F(SnapshotFileTest, AnInstanceWhoseLeaseRanOutWhileDownIsNotRestored) {
    before.renew(full_spec("api", "short", 10'000));
    before.renew(full_spec("api", "long", 60'000));
    before_clock.advance_ms(5'000);
    write_before_shutdown();

    const LoadReport report = restart_after(20'000);
    ASSERT_EQ(report.status, LoadStatus::loaded);
    EXPECT_EQ(report.restored.instances, 1u);
    EXPECT_EQ(report.restored.expired_while_down, 1u);
    EXPECT_EQ(after.find("api", "short"), nullptr);
    ASSERT_NE(after.find("api", "long"), nullptr);
    EXPECT_EQ(after.find("api", "long")->remaining_ms(after_clock.mono_ms()), 35'000);
    EXPECT_NE(report.summary().find("ran out meanwhile, not restored: 1"), std::string::npos) << report.summary();
}

TEST_F(SnapshotFileTest, TombstonesSurviveAndStillBlockOlderCopies) {
    before.renew(full_spec("api", "api-1"), 1'000);
    ASSERT_TRUE(before.deregister("api", "api-1"));
    const std::int64_t tomb_ts = before.tombstones().begin()->second.src_ts_ms;
    write_before_shutdown();

    const LoadReport report = restart_after(1'000);
    ASSERT_EQ(report.status, LoadStatus::loaded);
    EXPECT_EQ(report.restored.tombstones, 1u);
    ASSERT_EQ(after.tombstones().size(), 1u);
    EXPECT_EQ(after.tombstones().begin()->second.src_ts_ms, tomb_ts);

    // A gossip copy from before the deregistration must not bring the instance back...
    EXPECT_EQ(after.renew(full_spec("api", "api-1"), 1'000).result, RenewResult::stale);
    EXPECT_EQ(after.find("api", "api-1"), nullptr);
    // ...but a genuinely newer heartbeat does.
    EXPECT_EQ(after.renew(full_spec("api", "api-1"), tomb_ts + 1).result, RenewResult::created);
}

TEST_F(SnapshotFileTest, TombstonesKeepAgeingAcrossTheRestart) {
    before.renew(full_spec("api", "api-1"));
    before.deregister("api", "api-1");
    before_clock.advance_ms(3'000'000);
    write_before_shutdown();
    restart_after(600'001);  // 3,600,001 ms since the deregistration: past the hour
    EXPECT_EQ(after.tombstones().size(), 1u);
    after.sweep();
    EXPECT_TRUE(after.tombstones().empty());
}

TEST_F(SnapshotFileTest, AKnownServiceWithoutInstancesSurvives) {
    before.renew(full_spec("web", "web-1"));
    before.deregister("web", "web-1");
    before_clock.advance_ms(60'000);
    write_before_shutdown();

    const LoadReport report = restart_after(1'000);
    ASSERT_EQ(report.status, LoadStatus::loaded);
    EXPECT_EQ(report.restored.known_services, 1u);
    const Service* web = after.find("web");
    ASSERT_NE(web, nullptr);
    EXPECT_TRUE(web->instances.empty());
    EXPECT_EQ(web->last_live, after_clock.mono_ms() - 61'000);
}

TEST_F(SnapshotFileTest, TheIndexDoesNotGoBackwardsAcrossTheRestart) {
    for (int i = 0; i < 5; ++i) before.renew(full_spec("api", "api-" + std::to_string(i)));
    InstanceSpec changed = full_spec("api", "api-0");
    changed.port = 9000;
    before.renew(changed);
    before.deregister("api", "api-4");
    const std::uint64_t saved = before.index();
    ASSERT_GT(saved, 4u);
    write_before_shutdown();
    restart_after(1'000);
    EXPECT_GT(after.index(), saved);
    ASSERT_NE(after.find("api"), nullptr);
    EXPECT_GT(after.find("api")->modify_index, saved);
}

TEST_F(SnapshotFileTest, ManyInstancesRoundTrip) {
    for (int s = 0; s < 20; ++s)
        for (int i = 0; i < 250; ++i)
            before.renew(full_spec("svc-" + std::to_string(s), "i-" + std::to_string(i)));
    write_before_shutdown();
    const LoadReport report = restart_after(0);
    ASSERT_EQ(report.status, LoadStatus::loaded) << report.summary();
    EXPECT_EQ(after.instance_count(), 5'000u);
    EXPECT_EQ(after.services().size(), 20u);
}

TEST_F(SnapshotFileTest, AMissingFileIsAnEmptyStart) {
    const LoadReport report = load_snapshot(file, after);
    EXPECT_EQ(report.status, LoadStatus::missing);
    EXPECT_TRUE(is_empty(after));
    EXPECT_TRUE(dir.entries().empty());  // loading creates nothing
    EXPECT_NE(report.summary().find("empty registry"), std::string::npos);
}

TEST_F(SnapshotFileTest, LoadingRemovesTemporaryFilesOfAnInterruptedWrite) {
    write_text(dir / ".cache.json.tmp-4242-0", "{\"half");
    const LoadReport report = load_snapshot(file, after);
    EXPECT_EQ(report.leftover_temp_files, 1u);
    EXPECT_TRUE(dir.entries().empty());
}

// Every unusable file is refused whole: set aside with a reason, and nothing restored.
struct CorruptCase {
    const char* name;
    std::string content;
    const char* reason;  // part of LoadReport::reason
};

class SnapshotFileCorruptTest : public SnapshotFileTest,
                                public ::testing::WithParamInterface<CorruptCase> {};

TEST_P(SnapshotFileCorruptTest, IsSetAsideWithTheReasonAndNothingIsRestored) {
    write_text(file, GetParam().content);
    const LoadReport report = restart_after(0);
    EXPECT_EQ(report.status, LoadStatus::corrupt);
    EXPECT_NE(report.reason.find(file.string() + ": "), std::string::npos) << report.reason;
    EXPECT_NE(report.reason.find(GetParam().reason), std::string::npos) << report.reason;
    EXPECT_FALSE(report.move_error) << report.move_error.message();
    EXPECT_EQ(report.moved_to,
              dir / ("cache.json.corrupt-" + std::to_string(after_clock.wall_ms())));
    EXPECT_EQ(read_text(report.moved_to), GetParam().content);  // kept, byte for byte
    EXPECT_FALSE(std::filesystem::exists(file));
    EXPECT_TRUE(is_empty(after));
    EXPECT_NE(report.summary().find("moved to " + report.moved_to.string()), std::string::npos);
}

std::string good_then_bad_entry() {
    // The first instance is fine; the second has a port out of range.
    const std::string fields =
        R"("version":"","weight":1,"priority":0,"meta":{},"ttl_ms":30000,"node":"n",)"
        R"("src_ts_ms":1,"remaining_ms":20000})";
    return R"({"format_version":1,"written_wall_ms":1770000000000,"index":9,"instances":[)"
           "\n" R"({"service":"api","id":"a","address":"10.0.0.1","port":80,)" + fields +
           ",\n" R"({"service":"api","id":"b","address":"10.0.0.2","port":65536,)" + fields +
           "],\n" R"("tombstones":[{"service":"api","id":"c","src_ts_ms":5,"age_ms":1}],)"
           R"("known_services":[{"service":"web","idle_ms":1}]})";
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, SnapshotFileCorruptTest,
    ::testing::Values(
        CorruptCase{"garbage", "\x89PNG\r\n\x1a\n not a snapshot", "not valid JSON"},
        CorruptCase{"empty", "", "the file is empty"},
        CorruptCase{"truncated",
                    R"({"format_version":1,"written_wall_ms":1770000000000,"index":9,"instan)",
                    "not valid JSON"},
        CorruptCase{"wrong_version",
                    R"({"format_version":7,"written_wall_ms":0,"index":0,"instances":[],)"
                    R"("tombstones":[],"known_services":[]})",
                    "format_version is 7, but this dnsd reads only version 1"},
        CorruptCase{"not_a_snapshot", R"({"hello":"world"})", "format_version is missing"},
        CorruptCase{"bad_entry_among_good_ones", good_then_bad_entry(),
                    "instances[1].port must be an integer from 1 to 65535, not 65536"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST_F(SnapshotFileTest, ASecondCorruptFileDoesNotReplaceTheFirstOneSetAside) {
    write_text(file, "first bad file");
    const LoadReport first = load_snapshot(file, after);
    write_text(file, "second bad file");
    const LoadReport second = load_snapshot(file, after);  // same wall millisecond
    ASSERT_EQ(first.status, LoadStatus::corrupt);
    ASSERT_EQ(second.status, LoadStatus::corrupt);
    EXPECT_NE(first.moved_to, second.moved_to);
    EXPECT_EQ(read_text(first.moved_to), "first bad file");
    EXPECT_EQ(read_text(second.moved_to), "second bad file");
}

TEST_F(SnapshotFileTest, AnUnreadableFileIsSetAside) {
    std::filesystem::create_directories(file);  // reading a directory fails with EISDIR
    const LoadReport report = load_snapshot(file, after);
    EXPECT_EQ(report.status, LoadStatus::corrupt);
    EXPECT_NE(report.reason.find("cannot be read"), std::string::npos) << report.reason;
    EXPECT_TRUE(std::filesystem::is_directory(report.moved_to));
    EXPECT_TRUE(is_empty(after));
}

TEST_F(SnapshotFileTest, WriteCreatesTheDataDirectory) {
    const auto nested = snapshot_path(dir / "data/dnsd");
    before.renew(full_spec("api", "api-1"));
    ASSERT_FALSE(write_snapshot(nested, before));
    EXPECT_EQ(read_text(nested), encode_snapshot(before));
}

TEST_F(SnapshotFileTest, AFailedWriteKeepsThePreviousSnapshotLoadable) {
    before.renew(full_spec("api", "api-1"));
    write_before_shutdown();
    const std::string previous = read_text(file);
    before.renew(full_spec("api", "api-2"));
    for (FileStep step : {FileStep::write, FileStep::sync, FileStep::rename}) {
        FailingFileOps ops(step);
        EXPECT_EQ(write_snapshot(file, before, ops), std::errc::no_space_on_device);
        EXPECT_EQ(read_text(file), previous);
        EXPECT_EQ(dir.entries(), std::vector<std::string>{"cache.json"});
    }
    ASSERT_EQ(restart_after(0).status, LoadStatus::loaded);
    EXPECT_EQ(after.instance_count(), 1u);
}

}  // namespace
}  // namespace dnsd::registry
