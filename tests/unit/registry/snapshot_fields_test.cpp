#include "registry/snapshot_fields.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace dnsd::registry {
namespace {

JsonScalar string(std::string_view text) {
    JsonScalar v;
    v.kind = JsonScalar::Kind::string;
    v.text = text;
    return v;
}

JsonScalar int64(std::int64_t i) {
    static thread_local std::string text;
    text = std::to_string(i);
    JsonScalar v;
    v.kind = JsonScalar::Kind::int64;
    v.int64 = i;
    v.text = text;
    return v;
}

JsonScalar of_kind(JsonScalar::Kind kind, std::string_view text = {}) {
    JsonScalar v;
    v.kind = kind;
    v.text = text;
    return v;
}

TEST(SnapshotFieldsTest, ShownValuesLookAsInTheFile) {
    EXPECT_EQ(shown(string("a\"b")), "\"a\\\"b\"");
    EXPECT_EQ(shown(int64(-42)), "-42");
    EXPECT_EQ(shown(of_kind(JsonScalar::Kind::number, "8.05E1")), "8.05E1");
    JsonScalar yes = of_kind(JsonScalar::Kind::boolean);
    yes.boolean = true;
    EXPECT_EQ(shown(yes), "true");
    EXPECT_EQ(shown(of_kind(JsonScalar::Kind::null)), "null");
    EXPECT_EQ(shown(of_kind(JsonScalar::Kind::object)), "an object");
    EXPECT_EQ(shown(of_kind(JsonScalar::Kind::array)), "an array");
}

TEST(SnapshotFieldsTest, LongValuesAreCutShort) {
    const std::string long_text(500, 'x');
    const std::string s = shown(string(long_text));
    EXPECT_EQ(s.size(), 63u);
    EXPECT_EQ(s.substr(0, 4), "\"xxx");
    EXPECT_EQ(s.substr(60), "...");
}

TEST(SnapshotFieldsTest, StringsAreOnlyStrings) {
    EXPECT_EQ(as_string(string("v")), "v");
    EXPECT_EQ(as_string(int64(1)), std::nullopt);
}

TEST(SnapshotFieldsTest, LabelsAreCheckedAndLowerCased) {
    EXPECT_EQ(as_label(string("Api-1")), "api-1");
    EXPECT_EQ(as_label(string("a_b")), std::nullopt);
    EXPECT_EQ(as_label(string("")), std::nullopt);
    EXPECT_EQ(as_label(string(std::string(64, 'a'))), std::nullopt);
    EXPECT_EQ(as_label(int64(5)), std::nullopt);
}

TEST(SnapshotFieldsTest, AddressesAreIpv4OrIpv6Text) {
    EXPECT_EQ(as_address(string("10.0.0.3")), IpAddress::parse("10.0.0.3"));
    EXPECT_EQ(as_address(string("fd00::1")), IpAddress::parse("fd00::1"));
    EXPECT_EQ(as_address(string("10.0.0.256")), std::nullopt);
    EXPECT_EQ(as_address(string("host.example")), std::nullopt);
    EXPECT_EQ(as_address(int64(167772163)), std::nullopt);
}

TEST(SnapshotFieldsTest, IntegersMustBeWithinTheirBoundsInclusive) {
    EXPECT_EQ(as_integer(int64(1), 1, 65535), 1);
    EXPECT_EQ(as_integer(int64(65535), 1, 65535), 65535);
    EXPECT_EQ(as_integer(int64(0), 1, 65535), std::nullopt);
    EXPECT_EQ(as_integer(int64(65536), 1, 65535), std::nullopt);
    EXPECT_EQ(as_integer(string("80"), 1, 65535), std::nullopt);
    EXPECT_EQ(as_integer(of_kind(JsonScalar::Kind::number, "80.0"), 1, 65535), std::nullopt);
    JsonScalar huge = of_kind(JsonScalar::Kind::uint64, "9223372036854775808");
    huge.uint64 = std::uint64_t{1} << 63;
    EXPECT_EQ(as_integer(huge, std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::int64_t>::max()),
              std::nullopt);
}

TEST(SnapshotFieldsTest, UnsignedIntegersTakeTheFullRange) {
    EXPECT_EQ(as_unsigned(int64(0)), 0u);
    EXPECT_EQ(as_unsigned(int64(-1)), std::nullopt);
    JsonScalar huge = of_kind(JsonScalar::Kind::uint64);
    huge.uint64 = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(as_unsigned(huge), std::numeric_limits<std::uint64_t>::max());
}

TEST(SnapshotFieldsTest, WantedIntegerNamesItsBounds) {
    EXPECT_EQ(wanted::integer(1, 65535), "an integer from 1 to 65535");
    EXPECT_EQ(wanted::integer(std::numeric_limits<std::int64_t>::min(),
                              std::numeric_limits<std::int64_t>::max()),
              "an integer");
}

}  // namespace
}  // namespace dnsd::registry
