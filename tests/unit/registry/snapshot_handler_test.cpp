#include "registry/snapshot_handler.hpp"

#include <gtest/gtest.h>
#include <boost/json/basic_parser_impl.hpp>

namespace dnsd::registry {
namespace {

struct Parsed {
    bool aborted = false;
    std::string error;
    SnapshotData data;
};

Parsed parse(std::string_view text) {
    boost::json::basic_parser<SnapshotHandler> parser{boost::json::parse_options{}};
    boost::system::error_code ec;
    parser.write_some(false, text.data(), text.size(), ec);
    SnapshotHandler& h = parser.handler();
    return {h.aborted(), h.error(), std::move(h.data())};
}

constexpr std::string_view instance_json =
    R"({"service":"api","id":"a","address":"10.0.0.1","port":80,"version":"","weight":1,)"
    R"("priority":0,"meta":{"k":"v"},"ttl_ms":30000,"node":"n","src_ts_ms":1,"remaining_ms":1})";

std::string document(std::string_view instances_json, std::string_view extra = "") {
    return std::string(R"({"format_version":1,"written_wall_ms":5,"index":3,"instances":)") +
           std::string(instances_json) + R"(,"tombstones":[],"known_services":[])" +
           std::string(extra) + "}";
}

TEST(SnapshotHandlerTest, BuildsTheDataOfAValidDocument) {
    const Parsed p = parse(document("[" + std::string(instance_json) + "]"));
    EXPECT_TRUE(p.error.empty()) << p.error;
    EXPECT_FALSE(p.aborted);
    EXPECT_EQ(p.data.written_wall_ms, 5);
    EXPECT_EQ(p.data.index, 3u);
    ASSERT_EQ(p.data.instances.size(), 1u);
    EXPECT_EQ(p.data.instances[0].spec.meta.at("k"), "v");
}

TEST(SnapshotHandlerTest, TheListsMayComeInAnyOrder) {
    const Parsed p =
        parse(R"({"known_services":[{"service":"web","idle_ms":1}],"tombstones":[],"index":3,)"
              R"("instances":[],"written_wall_ms":5,"format_version":1})");
    EXPECT_TRUE(p.error.empty()) << p.error;
    ASSERT_EQ(p.data.known_services.size(), 1u);
}

TEST(SnapshotHandlerTest, UnknownFieldsAreSkippedWhateverTheyHold) {
    // Unknown values that contain known-looking names must not be taken for them.
    const std::string entry = std::string(instance_json.substr(0, instance_json.size() - 1)) +
                              R"(,"health":{"port":0,"meta":[1,{"x":[]}]}})";
    const Parsed p = parse(document(
        "[" + entry + "]", R"(,"later":{"instances":[{"port":0}],"format_version":9},"n":[[]])"));
    EXPECT_TRUE(p.error.empty()) << p.error;
    ASSERT_EQ(p.data.instances.size(), 1u);
    EXPECT_EQ(p.data.instances[0].spec.port, 80);
}

TEST(SnapshotHandlerTest, WithTheVersionKnownTheFirstProblemStopsTheParser) {
    // The syntax error after the bad entry is never reached.
    const Parsed p = parse(R"({"format_version":1,"instances":[{"port":0}] this is not JSON)");
    EXPECT_TRUE(p.aborted);
    EXPECT_EQ(p.error, "instances[0].port must be an integer from 1 to 65535, not 0");
}

TEST(SnapshotHandlerTest, AnotherVersionAfterABadEntryIsReportedAsTheVersion) {
    const Parsed p = parse(
        R"({"instances":[{"service":"a_b","meta":{"k":{"deep":[1]}}}],"tombstones":{},)"
        R"("format_version":2})");
    EXPECT_TRUE(p.aborted);
    EXPECT_EQ(p.error.substr(0, 36), "format_version is 2, but this dnsd r");
}

TEST(SnapshotHandlerTest, AMissingVersionAfterABadEntryIsReportedAsMissing) {
    const Parsed p = parse(R"({"instances":[{"meta":{"k":{"deep":[1]}}}],"index":-1})");
    EXPECT_EQ(p.error, "format_version is missing: this file is not a dnsd registry snapshot");
}

TEST(SnapshotHandlerTest, TheRightVersionAfterABadEntryLetsTheEntrysProblemStand) {
    const Parsed p =
        parse(R"({"instances":[{"meta":{"k":{"deep":[1]}}}],"tombstones":5,"format_version":1})");
    EXPECT_TRUE(p.aborted);
    EXPECT_EQ(p.error, "instances[0].meta.k must be a string, not an object");
}

TEST(SnapshotHandlerTest, AVersionThatIsNotANumberIsRefused) {
    EXPECT_EQ(parse(R"({"format_version":{"major":1}})").error.substr(0, 32),
              "format_version is an object, but");
}

TEST(SnapshotHandlerTest, AMissingTopLevelFieldIsNamed) {
    const Parsed p = parse(
        R"({"format_version":1,"written_wall_ms":5,"instances":[],"tombstones":[],)"
        R"("known_services":[]})");
    EXPECT_EQ(p.error, "index is missing");
}

TEST(SnapshotHandlerTest, EntriesMustBeObjects) {
    EXPECT_EQ(parse(document("[[1]]")).error, "instances[0] must be a JSON object, not an array");
    EXPECT_EQ(parse(document("[" + std::string(instance_json) + ",\"x\"]")).error,
              "instances[1] must be a JSON object, not \"x\"");
}

TEST(SnapshotHandlerTest, TheDocumentMustBeAnObject) {
    EXPECT_EQ(parse("5").error, "the file must hold a JSON object, not 5");
    EXPECT_EQ(parse("[]").error, "the file must hold a JSON object, not an array");
}

TEST(SnapshotHandlerTest, ARemainingLeaseLongerThanTheLeaseIsRefusedWhateverTheFieldOrder) {
    const Parsed p = parse(document(
        R"([{"remaining_ms":30001,"service":"api","id":"a","address":"10.0.0.1","port":80,)"
        R"("version":"","weight":1,"priority":0,"meta":{},"ttl_ms":30000,"node":"n",)"
        R"("src_ts_ms":1}])"));
    EXPECT_EQ(
        p.error,
        "instances[0].remaining_ms must be an integer from -9007199254740992 to 30000, not 30001");
}

TEST(SnapshotHandlerTest, RepeatedInstancesAreFound) {
    const std::string twice = "[" + std::string(instance_json) + "," + std::string(instance_json) + "]";
    EXPECT_EQ(parse(document(twice)).error,
              "instances[1] repeats the instance api/a of instances[0]");
}

}  // namespace
}  // namespace dnsd::registry
