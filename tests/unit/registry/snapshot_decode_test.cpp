#include "registry/snapshot_decode.hpp"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace dnsd::registry {
namespace {

namespace json = boost::json;

json::object valid_instance(std::string_view service = "api", std::string_view id = "api-1") {
    return {{"service", service},    {"id", id},
            {"address", "10.0.0.3"}, {"port", 8861},
            {"version", "1.2.3"},    {"weight", 7},
            {"priority", 2},         {"meta", json::object{{"zone", "a"}}},
            {"ttl_ms", 30'000},      {"node", "node-1"},
            {"src_ts_ms", 1'000},    {"remaining_ms", 20'000}};
}

SnapshotDecodeResult decode(const json::object& root) {
    return decode_snapshot(std::string_view(json::serialize(root)));
}

json::object valid_root() {
    return {
        {"format_version", 1},
        {"written_wall_ms", 1'770'000'000'000},
        {"index", 42},
        {"instances", json::array{valid_instance("api", "api-1"), valid_instance("api", "api-2")}},
        {"tombstones", json::array{json::object{
                           {"service", "api"}, {"id", "old"}, {"src_ts_ms", 5}, {"age_ms", 60}}}},
        {"known_services", json::array{json::object{{"service", "web"}, {"idle_ms", 70}}}}};
}

TEST(SnapshotDecodeTest, DecodesEveryField) {
    const SnapshotDecodeResult r = decode(valid_root());
    ASSERT_TRUE(r.ok()) << r.error;
    const SnapshotData& d = r.data;
    EXPECT_EQ(d.written_wall_ms, 1'770'000'000'000);
    EXPECT_EQ(d.index, 42u);
    ASSERT_EQ(d.instances.size(), 2u);
    const SnapshotInstance& i = d.instances[0];
    EXPECT_EQ(i.spec.service, "api");
    EXPECT_EQ(i.spec.id, "api-1");
    EXPECT_EQ(i.spec.address, *IpAddress::parse("10.0.0.3"));
    EXPECT_EQ(i.spec.port, 8861);
    EXPECT_EQ(i.spec.version, "1.2.3");
    EXPECT_EQ(i.spec.weight, 7);
    EXPECT_EQ(i.spec.priority, 2);
    EXPECT_EQ(i.spec.meta, (std::map<std::string, std::string>{{"zone", "a"}}));
    EXPECT_EQ(i.spec.ttl_ms, 30'000);
    EXPECT_EQ(i.spec.node, "node-1");
    EXPECT_EQ(i.src_ts_ms, 1'000);
    EXPECT_EQ(i.remaining_ms, 20'000);
    ASSERT_EQ(d.tombstones.size(), 1u);
    EXPECT_EQ(d.tombstones[0].key, (InstanceKey{"api", "old"}));
    EXPECT_EQ(d.tombstones[0].src_ts_ms, 5);
    EXPECT_EQ(d.tombstones[0].age_ms, 60);
    ASSERT_EQ(d.known_services.size(), 1u);
    EXPECT_EQ(d.known_services[0].service, "web");
    EXPECT_EQ(d.known_services[0].idle_ms, 70);
}

TEST(SnapshotDecodeTest, TextFedOneByteAtATimeDecodesTheSame) {
    json::object root = valid_root();
    root["instances"].as_array()[0].as_object()["version"] = std::string(300, 'v');
    root["instances"].as_array()[0].as_object()["src_ts_ms"] = 1'770'000'000'123;
    const std::string text = json::serialize(root);
    SnapshotDecoder decoder;
    for (char c : text) ASSERT_TRUE(decoder.write(std::string_view(&c, 1)));
    const SnapshotDecodeResult r = decoder.finish();
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.data.instances.size(), 2u);
    EXPECT_EQ(r.data.instances[0].spec.version, std::string(300, 'v'));
    EXPECT_EQ(r.data.instances[0].src_ts_ms, 1'770'000'000'123);
    EXPECT_EQ(r.data.instances[0].spec.meta, (std::map<std::string, std::string>{{"zone", "a"}}));
    EXPECT_EQ(r.data.known_services[0].service, "web");
}

TEST(SnapshotDecodeTest, AnErrorInPiecesIsShownWhole) {
    json::object root = valid_root();
    root["instances"].as_array()[1].as_object()["port"] = 1234567;
    const std::string text = json::serialize(root);
    SnapshotDecoder decoder;
    bool accepted = true;
    for (std::size_t i = 0; i < text.size() && accepted; i += 3)
        accepted = decoder.write(std::string_view(text).substr(i, 3));
    EXPECT_FALSE(accepted);  // the decoder says when to stop reading
    EXPECT_EQ(decoder.finish().error,
              "instances[1].port must be an integer from 1 to 65535, not 1234567");
}

TEST(SnapshotDecodeTest, AnEmptyTextIsRefused) {
    EXPECT_EQ(decode_snapshot(std::string_view()).error, "the file is empty");
}

TEST(SnapshotDecodeTest, SyntaxErrorsGiveTheirPosition) {
    EXPECT_EQ(decode_snapshot(std::string_view("{\"a\": 1,\n x}")).error.substr(0, 28),
              "the file is not valid JSON (");
    EXPECT_NE(decode_snapshot(std::string_view("{\"a\": 1,\n x}")).error.find("near byte 10)"),
              std::string::npos);
    // Truncated: the end comes too soon.
    EXPECT_NE(
        decode_snapshot(std::string_view("{\"format_version\": 1,")).error.find("near byte 21)"),
        std::string::npos);
}

TEST(SnapshotDecodeTest, DataAfterTheDocumentIsRefused) {
    const std::string text = json::serialize(valid_root());
    EXPECT_EQ(decode_snapshot(std::string_view(text + " {}")).error,
              "the file goes on after the end of its JSON document (near byte " +
                  std::to_string(text.size() + 1) + ")");
    EXPECT_TRUE(decode_snapshot(std::string_view(text + " \r\n\t")).ok());
    // The same when the rest comes in a later piece.
    SnapshotDecoder decoder;
    EXPECT_TRUE(decoder.write(text));
    EXPECT_TRUE(decoder.write("\n"));
    EXPECT_FALSE(decoder.write("\nx"));
    EXPECT_NE(decoder.finish().error.find("goes on after the end"), std::string::npos);
}

TEST(SnapshotDecodeTest, InvalidUtf8InAStringIsKept) {
    json::object root = valid_root();
    std::string text = json::serialize(root);
    const std::string from = "\"1.2.3\"";
    text.replace(text.find(from), from.size(), "\"1.2\xff\"");
    const SnapshotDecodeResult r = decode_snapshot(std::string_view(text));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.data.instances[0].spec.version, "1.2\xff");
}

TEST(SnapshotDecodeTest, LabelsAreStoredInCanonicalCase) {
    json::object root = valid_root();
    root["instances"] = json::array{valid_instance("API", "Api-1")};
    const SnapshotDecodeResult r = decode(root);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.data.instances[0].spec.service, "api");
    EXPECT_EQ(r.data.instances[0].spec.id, "api-1");
}

TEST(SnapshotDecodeTest, AnIpv6AddressAndEmptyStringsAndMetaAreAccepted) {
    json::object inst = valid_instance();
    inst["address"] = "fd00::1";
    inst["version"] = "";
    inst["node"] = "";
    inst["meta"] = json::object{};
    json::object root = valid_root();
    root["instances"] = json::array{inst};
    const SnapshotDecodeResult r = decode(root);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_TRUE(r.data.instances[0].spec.address.is_v6());
}

TEST(SnapshotDecodeTest, UnknownFieldsAreIgnored) {
    json::object root = valid_root();
    root["written_by"] = "a later dnsd";
    json::object inst = valid_instance();
    inst["health"] = "passing";
    root["instances"] = json::array{inst};
    EXPECT_TRUE(decode(root).ok());
}

TEST(SnapshotDecodeTest, LeaseBoundsAreInclusive) {
    json::object inst = valid_instance();
    inst["ttl_ms"] = 86'400'000;
    inst["remaining_ms"] = 86'400'000;  // all of it left
    json::object root = valid_root();
    root["instances"] = json::array{inst};
    EXPECT_TRUE(decode(root).ok());
    inst["ttl_ms"] = 1;
    inst["remaining_ms"] = -5'000;  // already over when written
    root["instances"] = json::array{inst};
    EXPECT_TRUE(decode(root).ok());
}

// One bad field in the second instance; the error names the entry, the field and the value.
struct BadField {
    const char* field;
    json::value value;
    const char* error;
};

class SnapshotDecodeBadFieldTest : public ::testing::TestWithParam<BadField> {};

TEST_P(SnapshotDecodeBadFieldTest, RefusesTheWholeFileNamingTheEntry) {
    json::object bad = valid_instance("api", "api-2");
    bad[GetParam().field] = GetParam().value;
    json::object root = valid_root();
    root["instances"] = json::array{valid_instance("api", "api-1"), bad};
    const SnapshotDecodeResult r = decode(root);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error, GetParam().error);
    EXPECT_TRUE(r.data.instances.empty());  // nothing half-decoded is handed out
}

INSTANTIATE_TEST_SUITE_P(
    Instances, SnapshotDecodeBadFieldTest,
    ::testing::Values(
        BadField{"port", 0, "instances[1].port must be an integer from 1 to 65535, not 0"},
        BadField{"port", 70'000, "instances[1].port must be an integer from 1 to 65535, not 70000"},
        BadField{"port", "80", "instances[1].port must be an integer from 1 to 65535, not \"80\""},
        BadField{"port", 80.5, "instances[1].port must be an integer from 1 to 65535, not 8.05E1"},
        BadField{"weight", -1, "instances[1].weight must be an integer from 0 to 65535, not -1"},
        BadField{"priority", 65'536,
                 "instances[1].priority must be an integer from 0 to 65535, not 65536"},
        BadField{"service", "a_b",
                 "instances[1].service must be a DNS label (letters, digits and '-', 1 to 63 "
                 "characters), not \"a_b\""},
        BadField{"id", "",
                 "instances[1].id must be a DNS label (letters, digits and '-', 1 to 63 "
                 "characters), not \"\""},
        BadField{"id", nullptr,
                 "instances[1].id must be a DNS label (letters, digits and '-', 1 to 63 "
                 "characters), not null"},
        BadField{"address", "300.1.1.1",
                 "instances[1].address must be an IPv4 or IPv6 address, not \"300.1.1.1\""},
        BadField{"address", 167772163,
                 "instances[1].address must be an IPv4 or IPv6 address, not 167772163"},
        BadField{"version", 5, "instances[1].version must be a string, not 5"},
        BadField{"node", json::array{}, "instances[1].node must be a string, not an array"},
        BadField{"meta", "zone=a",
                 "instances[1].meta must be an object of strings, not \"zone=a\""},
        BadField{"meta", json::object{{"zone", 1}},
                 "instances[1].meta.zone must be a string, not 1"},
        BadField{"ttl_ms", 0, "instances[1].ttl_ms must be an integer from 1 to 86400000, not 0"},
        BadField{"ttl_ms", 86'400'001,
                 "instances[1].ttl_ms must be an integer from 1 to 86400000, not 86400001"},
        BadField{"src_ts_ms", "yesterday",
                 "instances[1].src_ts_ms must be an integer, not \"yesterday\""},
        BadField{"src_ts_ms", std::uint64_t{1} << 63,
                 "instances[1].src_ts_ms must be an integer, not 9223372036854775808"},
        BadField{"remaining_ms", 30'001,
                 "instances[1].remaining_ms must be an integer from -9007199254740992 to 30000, "
                 "not 30001"}));

TEST(SnapshotDecodeTest, AMissingFieldIsNamed) {
    json::object bad = valid_instance();
    bad.erase("port");
    json::object root = valid_root();
    root["instances"] = json::array{bad};
    EXPECT_EQ(decode(root).error, "instances[0].port is missing");
}

TEST(SnapshotDecodeTest, AnEntryThatIsNotAnObjectIsNamed) {
    json::object root = valid_root();
    root["instances"].as_array().push_back(42);
    EXPECT_EQ(decode(root).error, "instances[2] must be a JSON object, not 42");
}

TEST(SnapshotDecodeTest, ALongOffendingValueIsShownCutShort) {
    json::object bad = valid_instance();
    bad["address"] = std::string(500, 'x');
    json::object root = valid_root();
    root["instances"] = json::array{bad};
    const std::string error = decode(root).error;
    EXPECT_LT(error.size(), 200u);
    EXPECT_NE(error.find("xxx..."), std::string::npos) << error;
}

TEST(SnapshotDecodeTest, BadTombstonesAndKnownServicesAreNamed) {
    json::object root = valid_root();
    root["tombstones"].as_array()[0].as_object()["age_ms"] = -1;
    EXPECT_EQ(decode(root).error,
              "tombstones[0].age_ms must be an integer from 0 to 9007199254740992, not -1");

    root = valid_root();
    root["tombstones"].as_array()[0].as_object()["service"] = "a.b";
    EXPECT_NE(decode(root).error.find("tombstones[0].service must be a DNS label"),
              std::string::npos);

    root = valid_root();
    root["known_services"].as_array()[0].as_object().erase("idle_ms");
    EXPECT_EQ(decode(root).error, "known_services[0].idle_ms is missing");
}

TEST(SnapshotDecodeTest, TheTopLevelMustBeAnObject) {
    EXPECT_EQ(decode_snapshot(std::string_view("[1]")).error,
              "the file must hold a JSON object, not an array");
}

TEST(SnapshotDecodeTest, AFileWithoutAFormatVersionIsNotASnapshot) {
    json::object root = valid_root();
    root.erase("format_version");
    EXPECT_EQ(decode(root).error,
              "format_version is missing: this file is not a dnsd registry snapshot");
}

TEST(SnapshotDecodeTest, AnotherFormatVersionIsRefused) {
    json::object root = valid_root();
    root["format_version"] = 2;
    EXPECT_EQ(decode(root).error,
              "format_version is 2, but this dnsd reads only version 1 (was the file written by "
              "another version of dnsd?)");
    root["format_version"] = "1";
    EXPECT_FALSE(decode(root).ok());
}

TEST(SnapshotDecodeTest, BadHeaderFieldsAreNamed) {
    json::object root = valid_root();
    root["written_wall_ms"] = -1;
    EXPECT_EQ(decode(root).error,
              "written_wall_ms must be an integer from 0 to 9007199254740992, not -1");
    root = valid_root();
    root["index"] = -3;
    EXPECT_EQ(decode(root).error, "index must be a non-negative integer, not -3");
    root = valid_root();
    root["index"] = std::uint64_t{18'000'000'000'000'000'000u};
    EXPECT_TRUE(decode(root).ok());
}

TEST(SnapshotDecodeTest, MissingOrMistypedListsAreNamed) {
    json::object root = valid_root();
    root.erase("tombstones");
    EXPECT_EQ(decode(root).error, "tombstones is missing");
    root = valid_root();
    root["known_services"] = json::object{};
    EXPECT_EQ(decode(root).error, "known_services must be an array, not an object");
}

TEST(SnapshotDecodeTest, ARepeatedInstanceIsRefused) {
    json::object root = valid_root();
    root["instances"] = json::array{valid_instance("api", "a"), valid_instance("api", "a")};
    EXPECT_EQ(decode(root).error, "instances[1] repeats the instance api/a of instances[0]");
}

TEST(SnapshotDecodeTest, ARepeatedInstanceOutOfOrderIsFoundToo) {
    json::object root = valid_root();
    root["instances"] = json::array{valid_instance("web", "w"), valid_instance("api", "a"),
                                    valid_instance("API", "x"), valid_instance("Web", "W")};
    EXPECT_EQ(decode(root).error, "instances[3] repeats the instance web/w of instances[0]");
}

TEST(SnapshotDecodeTest, InstancesInAnotherOrderAreAccepted) {
    json::object root = valid_root();
    root["instances"] = json::array{valid_instance("web", "w"), valid_instance("api", "b"),
                                    valid_instance("api", "a")};
    const SnapshotDecodeResult r = decode(root);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.data.instances.size(), 3u);
}

}  // namespace
}  // namespace dnsd::registry
