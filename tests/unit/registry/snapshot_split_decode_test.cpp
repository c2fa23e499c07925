#include "registry/snapshot_split_decode.hpp"

#include <string>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace dnsd::registry {
namespace {

using testing::TempDir;
using testing::write_text;

// One instance entry as dnsd writes it; `version` lets a test put odd text inside a string.
std::string split_test_entry(int n, const std::string& version = "1.2.3", int port = 8000) {
    return R"({"service":"svc-)" + std::to_string(100000 + n / 3) + R"(","id":"inst-)" +
           std::to_string(n % 3) + R"(","address":"10.0.)" + std::to_string(n / 256 % 256) + "." +
           std::to_string(n % 256) + R"(","port":)" + std::to_string(port) + R"(,"version":")" +
           version + R"(","weight":100,"priority":0,"meta":{"zone":"a","n":")" +
           std::to_string(n) + R"("},"ttl_ms":3600000,"node":"bench","src_ts_ms":)" +
           std::to_string(1000 + n) + R"(,"remaining_ms":3600000})";
}

std::string split_test_file(int count, const std::string& between_entries = "\n",
                            const std::string& after_list = "") {
    std::string text = R"({"format_version":1,"written_wall_ms":1770000000000,"index":77,"instances":[)";
    for (int n = 0; n < count; ++n) {
        if (n > 0) text += ",";
        text += between_entries + split_test_entry(n);
    }
    text += R"(],"tombstones":[{"service":"gone","id":"x","src_ts_ms":5,"age_ms":1}],)"
            R"("known_services":[{"service":"idle","idle_ms":9}])" + after_list + "}\n";
    return text;
}

class SnapshotSplitDecodeTest : public ::testing::Test {
protected:
    // Decoded through the file, in up to `threads` parts however small the file.
    SnapshotFileDecode decode_file(const std::string& text, unsigned threads) {
        write_text(file, text);
        SplitDecodeOptions options;
        options.threads = threads;
        options.min_part_bytes = 1;
        options.read_chunk_size = 97;  // small, odd pieces: tokens split across reads too
        return decode_snapshot_file(file, options);
    }

    static void expect_same_data(const SnapshotData& a, const SnapshotData& b) {
        EXPECT_EQ(a.written_wall_ms, b.written_wall_ms);
        EXPECT_EQ(a.index, b.index);
        ASSERT_EQ(a.instances.size(), b.instances.size());
        for (std::size_t i = 0; i < a.instances.size(); ++i) {
            EXPECT_EQ(a.instances[i].spec, b.instances[i].spec) << "instance " << i;
            EXPECT_EQ(a.instances[i].src_ts_ms, b.instances[i].src_ts_ms) << "instance " << i;
            EXPECT_EQ(a.instances[i].remaining_ms, b.instances[i].remaining_ms) << "instance " << i;
        }
        ASSERT_EQ(a.tombstones.size(), b.tombstones.size());
        for (std::size_t i = 0; i < a.tombstones.size(); ++i)
            EXPECT_EQ(a.tombstones[i].key, b.tombstones[i].key);
        ASSERT_EQ(a.known_services.size(), b.known_services.size());
        for (std::size_t i = 0; i < a.known_services.size(); ++i)
            EXPECT_EQ(a.known_services[i].service, b.known_services[i].service);
    }

    TempDir dir;
    std::filesystem::path file = dir / "cache.json";
};

TEST(SnapshotEntryBoundaryTest, FindsTheCommaBetweenTwoObjects) {
    EXPECT_EQ(find_entry_boundary(R"({"a":1},{"b":2})"), 7u);
    EXPECT_EQ(find_entry_boundary("{\"a\":1} ,\n\t{\"b\":2}"), 8u);
}

TEST(SnapshotEntryBoundaryTest, PassesOverOtherCommas) {
    EXPECT_EQ(find_entry_boundary(R"({"a":1,"b":{"c":2},"d":3})"), std::string::npos);
    EXPECT_EQ(find_entry_boundary(R"([1,2],[3])"), std::string::npos);
    EXPECT_EQ(find_entry_boundary(R"(},)"), std::string::npos);
    EXPECT_EQ(find_entry_boundary(R"(,{)"), std::string::npos);
}

TEST(SnapshotEntryBoundaryTest, SearchesFromTheGivenOffset) {
    const std::string text = R"({"a":1},{"b":2},{"c":3})";
    EXPECT_EQ(find_entry_boundary(text, 8), 15u);
    EXPECT_EQ(find_entry_boundary(text, 16), std::string::npos);
}

TEST_F(SnapshotSplitDecodeTest, PartsDecodeToWhatTheWholeDecodesTo) {
    const std::string text = split_test_file(300);
    const SnapshotDecodeResult whole = decode_snapshot(text);
    ASSERT_TRUE(whole.ok()) << whole.error;
    for (unsigned threads : {1u, 2u, 3u, 4u}) {
        const SnapshotFileDecode split = decode_file(text, threads);
        ASSERT_EQ(split.read.status, ChunkedRead::Status::ok);
        ASSERT_TRUE(split.decoded.ok()) << split.decoded.error;
        EXPECT_EQ(split.parts, threads);
        expect_same_data(split.decoded.data, whole.data);
    }
}

TEST_F(SnapshotSplitDecodeTest, EntriesWithoutWhiteSpaceBetweenThemSplitToo) {
    const std::string text = split_test_file(200, "");
    const SnapshotFileDecode split = decode_file(text, 2);
    ASSERT_TRUE(split.decoded.ok()) << split.decoded.error;
    EXPECT_EQ(split.parts, 2u);
    expect_same_data(split.decoded.data, decode_snapshot(text).data);
}

TEST_F(SnapshotSplitDecodeTest, TopLevelFieldsAfterTheListTakeTheirLaterValue) {
    // A later value of a repeated field wins, as for one parser; here it comes in the last part.
    const std::string text = split_test_file(200, "\n", R"(,"index":99,"unknown":[{},{}])");
    const SnapshotDecodeResult whole = decode_snapshot(text);
    ASSERT_TRUE(whole.ok()) << whole.error;
    EXPECT_EQ(whole.data.index, 99u);
    const SnapshotFileDecode split = decode_file(text, 2);
    ASSERT_TRUE(split.decoded.ok()) << split.decoded.error;
    EXPECT_EQ(split.parts, 2u);
    expect_same_data(split.decoded.data, whole.data);
}

TEST_F(SnapshotSplitDecodeTest, ABoundaryLookalikeInsideAStringIsNotACut) {
    // The middle of the file is one long version string full of "},{": a cut there would start
    // a part inside a string. The part's parser refuses it and the file is decoded whole.
    std::string text = R"({"format_version":1,"written_wall_ms":1,"index":1,"instances":[)";
    text += split_test_entry(0) + "," + split_test_entry(1, std::string(20, 'x') + [] {
                std::string s;
                for (int i = 0; i < 400; ++i) s += "},{";
                return s;
            }()) + "," + split_test_entry(2);
    text += R"(],"tombstones":[],"known_services":[]})";
    const SnapshotDecodeResult whole = decode_snapshot(text);
    ASSERT_TRUE(whole.ok()) << whole.error;
    const SnapshotFileDecode split = decode_file(text, 2);
    ASSERT_TRUE(split.decoded.ok()) << split.decoded.error;
    EXPECT_EQ(split.parts, 1u);
    expect_same_data(split.decoded.data, whole.data);
}

TEST_F(SnapshotSplitDecodeTest, ACutInsideAnUnknownListIsNotACutEither) {
    std::string text = R"({"format_version":1,"written_wall_ms":1,"index":1,"instances":[)";
    text += split_test_entry(0) + R"(],"padding":[)";
    for (int i = 0; i < 300; ++i) text += std::string(i ? "," : "") + R"({"k":1})";
    text += R"(],"tombstones":[],"known_services":[]})";
    const SnapshotFileDecode split = decode_file(text, 2);
    ASSERT_TRUE(split.decoded.ok()) << split.decoded.error;
    EXPECT_EQ(split.parts, 1u);
    expect_same_data(split.decoded.data, decode_snapshot(text).data);
}

// Every refusal is the plain decoder's, word for word, wherever the problem is.
TEST_F(SnapshotSplitDecodeTest, ABadEntryInALaterPartIsRefusedAsTheWholeFileWouldBe) {
    std::string text = split_test_file(300);
    const std::string good = split_test_entry(250);
    text.replace(text.find(good), good.size(), split_test_entry(250, "1.2.3", 70000));
    const SnapshotDecodeResult whole = decode_snapshot(text);
    ASSERT_FALSE(whole.ok());
    EXPECT_NE(whole.error.find("instances[250].port"), std::string::npos) << whole.error;
    for (unsigned threads : {2u, 4u}) EXPECT_EQ(decode_file(text, threads).decoded.error, whole.error);
}

TEST_F(SnapshotSplitDecodeTest, ARepeatedInstanceAcrossACutIsRefused) {
    std::string text = split_test_file(300);
    const std::string last = split_test_entry(299);
    text.replace(text.find(last), last.size(), split_test_entry(0));
    const SnapshotDecodeResult whole = decode_snapshot(text);
    ASSERT_FALSE(whole.ok());
    EXPECT_NE(whole.error.find("repeats the instance"), std::string::npos) << whole.error;
    EXPECT_EQ(decode_file(text, 2).decoded.error, whole.error);
}

TEST_F(SnapshotSplitDecodeTest, ATruncatedFileIsRefusedAsTheWholeFileWouldBe) {
    const std::string full = split_test_file(300);
    for (std::size_t keep : {full.size() / 3, full.size() / 2, full.size() - 10}) {
        const std::string text = full.substr(0, keep);
        const SnapshotDecodeResult whole = decode_snapshot(text);
        ASSERT_FALSE(whole.ok());
        EXPECT_EQ(decode_file(text, 2).decoded.error, whole.error) << "kept " << keep;
    }
}

TEST_F(SnapshotSplitDecodeTest, AnotherFormatVersionOrAMissingFieldIsRefusedAsAWhole) {
    std::string other_version = split_test_file(300);
    other_version.replace(other_version.find("\"format_version\":1"), 18, "\"format_version\":2");
    std::string no_index = split_test_file(300);
    no_index.replace(no_index.find("\"index\":77,"), 11, "");
    std::string junk_after = split_test_file(300) + "x";
    for (const std::string& text : {other_version, no_index, junk_after}) {
        const SnapshotDecodeResult whole = decode_snapshot(text);
        ASSERT_FALSE(whole.ok());
        EXPECT_EQ(decode_file(text, 2).decoded.error, whole.error);
    }
}

TEST_F(SnapshotSplitDecodeTest, AMissingFileIsReportedAsMissing) {
    SplitDecodeOptions options;
    options.threads = 2;
    const SnapshotFileDecode decoded = decode_snapshot_file(dir / "nothing.json", options);
    EXPECT_EQ(decoded.read.status, ChunkedRead::Status::missing);
}

}  // namespace
}  // namespace dnsd::registry
