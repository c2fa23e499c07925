#include "zones/zone_file_parser.hpp"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "zones/wire_types.hpp"

namespace dnsd::zones {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Bytes = std::vector<std::uint8_t>;

DnsName name(const char* text) { return *DnsName::from_text(text); }

const DnsName kApex = name("svc");

Bytes wire_name(const char* text) {
    const DnsName owned = name(text);
    return Bytes(owned.bytes().begin(), owned.bytes().end());
}

Bytes concat(Bytes head, const Bytes& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

std::shared_ptr<const StaticZone> parsed(std::string_view text, std::uint32_t max_ttl = 86400) {
    auto result = parse_zone_text(text, kApex, max_ttl);
    if (auto* error = std::get_if<ZoneFileError>(&result)) {
        ADD_FAILURE() << "line " << error->line << ": " << error->reason;
        return nullptr;
    }
    return std::get<std::shared_ptr<const StaticZone>>(result);
}

ZoneFileError refused(std::string_view text) {
    auto result = parse_zone_text(text, kApex, 86400);
    if (auto* error = std::get_if<ZoneFileError>(&result)) return *error;
    ADD_FAILURE() << "expected a refusal of:\n" << text;
    return {};
}

const StaticRRset& rrset(const StaticZone& zone, const char* owner, RrType type) {
    const StaticRRset* found = zone.find(name(owner), to_u16(type));
    if (!found) throw std::runtime_error(std::string("no RRset at ") + owner);
    return *found;
}

// A file in a fresh directory, removed with it.
class ZoneFileOnDisk : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "zone-file-test-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path write(const std::string& text) {
        const auto file = dir_ / "static.zone";
        std::ofstream(file, std::ios::binary) << text;
        return file;
    }
    std::filesystem::path dir_;
};

TEST(ZoneFileParser, CommonTypesBecomeUncompressedWireRdata) {
    const auto zone = parsed(
        "$TTL 300\n"
        "www    IN A     10.0.0.1\n"
        "www    IN AAAA  2001:db8::1\n"
        "www    IN TXT   \"a b\" \"c\"\n"
        "_api._tcp IN SRV 1 2 8861 www\n"
        "alias  IN CNAME www.svc.\n"
        "svc.   IN MX    10 mail.example.com.\n");
    ASSERT_TRUE(zone);
    EXPECT_EQ(zone->record_count(), 6u);
    EXPECT_THAT(rrset(*zone, "www.svc", RrType::a).rdatas, ElementsAre(Bytes{10, 0, 0, 1}));
    EXPECT_THAT(rrset(*zone, "www.svc", RrType::aaaa).rdatas,
                ElementsAre(Bytes{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    EXPECT_THAT(rrset(*zone, "www.svc", RrType::txt).rdatas,
                ElementsAre(Bytes{3, 'a', ' ', 'b', 1, 'c'}));
    EXPECT_THAT(rrset(*zone, "_api._tcp.svc", RrType::srv).rdatas,
                ElementsAre(concat({0, 1, 0, 2, 0x22, 0x9d}, wire_name("www.svc"))));
    EXPECT_THAT(rrset(*zone, "alias.svc", RrType::cname).rdatas, ElementsAre(wire_name("www.svc")));
    EXPECT_THAT(zone->find(kApex, 15)->rdatas, ElementsAre(concat({0, 10}, wire_name("mail.example.com"))));
    EXPECT_EQ(rrset(*zone, "www.svc", RrType::a).ttl, 300u);
}

TEST(ZoneFileParser, OriginAndTtlDirectivesApplyToWhatFollows) {
    const auto zone = parsed(
        "a        A 10.0.0.1\n"
        "$TTL 1h\n"
        "$ORIGIN lab.svc.\n"
        "b        A 10.0.0.2\n"
        "@        TXT \"at the origin\"\n"
        "c   42   A 10.0.0.3\n"
        "         A 10.0.0.4\n"
        "$ORIGIN svc.\n"
        "d        A 10.0.0.5\n");
    ASSERT_TRUE(zone);
    EXPECT_EQ(rrset(*zone, "a.svc", RrType::a).ttl, 3600u) << "ldns's default before any $TTL";
    EXPECT_EQ(rrset(*zone, "b.lab.svc", RrType::a).ttl, 3600u);
    EXPECT_EQ(rrset(*zone, "lab.svc", RrType::txt).rdatas.size(), 1u);
    const StaticRRset& c = rrset(*zone, "c.lab.svc", RrType::a);
    EXPECT_EQ(c.rdatas.size(), 2u) << "a blank owner repeats the previous one";
    EXPECT_EQ(c.ttl, 42u) << "an explicit TTL wins over $TTL; the RRset keeps the smallest";
    EXPECT_NE(zone->find(name("d.svc"), to_u16(RrType::a)), nullptr);
}

TEST(ZoneFileParser, RelativeNamesStartAtTheApexAndOwnersAreLowerCased) {
    const auto zone = parsed("@ TXT \"apex\"\nWWW.Lab A 10.0.0.1\nHost.SVC. A 10.0.0.2\n");
    ASSERT_TRUE(zone);
    EXPECT_NE(zone->find(kApex, to_u16(RrType::txt)), nullptr);
    EXPECT_NE(zone->find(name("www.lab.svc"), to_u16(RrType::a)), nullptr);
    const StaticRRset& host = rrset(*zone, "host.svc", RrType::a);
    EXPECT_EQ(host.owner.wire(), std::string_view("\4host\3svc\0", 10));
}

TEST(ZoneFileParser, TtlsAreCappedAtMaxTtl) {
    const auto zone = parsed("$TTL 3600\na A 10.0.0.1\nb 1 A 10.0.0.2\n", 5);
    ASSERT_TRUE(zone);
    EXPECT_EQ(rrset(*zone, "a.svc", RrType::a).ttl, 5u);
    EXPECT_EQ(rrset(*zone, "b.svc", RrType::a).ttl, 1u);
}

TEST(ZoneFileParser, MultiLineRecordsInParentheses) {
    const auto zone = parsed("srv SRV ( 0 5   ; priority, weight\n          53 ns )\n");
    ASSERT_TRUE(zone);
    EXPECT_THAT(rrset(*zone, "srv.svc", RrType::srv).rdatas,
                ElementsAre(concat({0, 0, 0, 5, 0, 53}, wire_name("ns.svc"))));
}

TEST(ZoneFileParser, EmptyAndCommentOnlyTextIsAZoneWithoutRecords) {
    for (const char* text : {"", "\n\n", "; nothing here\n  ; nor here", "$TTL 60\n"}) {
        const auto zone = parsed(text);
        ASSERT_TRUE(zone) << text;
        EXPECT_EQ(zone->record_count(), 0u) << text;
    }
}

TEST(ZoneFileParser, ASyntaxErrorNamesItsLineAndTheRecord) {
    const ZoneFileError error = refused(
        "; static records\n"
        "\n"
        "good A 10.0.0.1\n"
        "multi SRV ( 0 0\n"
        "   80 good )\n"
        "; a comment before the fault\n"
        "\n"
        "bad A 10.0.0\n"
        "never A 10.0.0.9\n");
    EXPECT_EQ(error.line, 8u);
    EXPECT_THAT(error.reason, HasSubstr("'bad A 10.0.0'"));
    EXPECT_THAT(error.reason, HasSubstr("rdata"));
    EXPECT_EQ(refused("bad A 10.0.0").line, 1u) << "a last line without a newline";
    EXPECT_EQ(refused("a A 10.0.0.1\nb BOGUS x\n").line, 2u);
}

TEST(ZoneFileParser, OwnersOutsideTheApexAreRefusedWithTheirLine) {
    const ZoneFileError error = refused("a A 10.0.0.1\nwww.example.com. A 10.0.0.2\n");
    EXPECT_EQ(error.line, 2u);
    EXPECT_THAT(error.reason, HasSubstr("outside the zone svc."));
    EXPECT_EQ(refused("$ORIGIN example.com.\nwww A 10.0.0.1\n").line, 2u);
}

TEST(ZoneFileParser, ApexSoaAndNsAreRefused) {
    const ZoneFileError soa =
        refused("a A 10.0.0.1\n@ SOA ns.svc. admin.svc. 1 3600 600 86400 5\n");
    EXPECT_EQ(soa.line, 2u);
    EXPECT_THAT(soa.reason, HasSubstr("SOA"));
    const ZoneFileError ns = refused("\n\nsvc. NS ns.example.com.\n");
    EXPECT_EQ(ns.line, 3u);
    EXPECT_THAT(ns.reason, HasSubstr("NS records at the apex"));
}

TEST(ZoneFileParser, ClassesOtherThanInAreRefused) {
    const ZoneFileError error = refused("a IN A 10.0.0.1\nversion CH TXT \"1.0\"\n");
    EXPECT_EQ(error.line, 2u);
    EXPECT_THAT(error.reason, HasSubstr("class CH"));
}

TEST(ZoneFileParser, DirectivesLdnsWouldAcceptWronglyAreRefused) {
    const ZoneFileError ttl = refused("a A 10.0.0.1\n$TTL soon\n");
    EXPECT_EQ(ttl.line, 2u);
    EXPECT_THAT(ttl.reason, HasSubstr("$TTL"));
    const ZoneFileError origin = refused("$ORIGIN lab\na A 10.0.0.1\n");
    EXPECT_EQ(origin.line, 1u);
    EXPECT_THAT(origin.reason, HasSubstr("ending in '.'"));
    EXPECT_TRUE(parsed("$TTL 60 ; one minute\n$ORIGIN lab.svc. ; the lab\na A 10.0.0.1\n"))
        << "comments after directives";
    const ZoneFileError include = refused("a A 10.0.0.1\n$INCLUDE other.zone\n");
    EXPECT_EQ(include.line, 2u);
    EXPECT_THAT(include.reason, HasSubstr("$INCLUDE is not supported"));
}

TEST(ZoneFileParser, OwnerNamesAreHostNameLike) {
    EXPECT_THAT(refused("* A 10.0.0.1\n").reason, HasSubstr("wildcard"));
    EXPECT_THAT(refused("we\\032ird A 10.0.0.1\n").reason, HasSubstr("letters, digits"));
    EXPECT_TRUE(parsed("_sip._udp SRV 0 0 5060 sip\nhost-1 A 10.0.0.1\n"));
}

TEST(ZoneFileParser, ANulByteIsNotAZoneFile) {
    const ZoneFileError error = refused(std::string_view("a A 10.0.0.1\nb A 10.0.0.2\0junk\n", 31));
    EXPECT_EQ(error.line, 2u);
    EXPECT_THAT(error.reason, HasSubstr("NUL"));
}

TEST(ZoneFileParser, ErrorMessagesNameFileAndLine) {
    EXPECT_EQ((ZoneFileError{12, "bad"}).message("/etc/dnsd/static.zone"),
              "zone file /etc/dnsd/static.zone line 12: bad");
    EXPECT_EQ((ZoneFileError{0, "cannot read it"}).message("/x.zone"), "zone file /x.zone: cannot read it");
}

TEST_F(ZoneFileOnDisk, LoadsAFile) {
    const auto result = load_zone_file(write("a A 10.0.0.1\n"), kApex, 5);
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const StaticZone>>(result));
    EXPECT_EQ(std::get<std::shared_ptr<const StaticZone>>(result)->record_count(), 1u);
}

TEST_F(ZoneFileOnDisk, AnEmptyFileIsValid) {
    const auto result = load_zone_file(write(""), kApex, 5);
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const StaticZone>>(result));
    EXPECT_TRUE(std::get<std::shared_ptr<const StaticZone>>(result)->rrsets().empty());
}

TEST_F(ZoneFileOnDisk, AMissingFileOrADirectoryIsAnError) {
    const auto missing = load_zone_file(dir_ / "nosuch.zone", kApex, 5);
    ASSERT_TRUE(std::holds_alternative<ZoneFileError>(missing));
    EXPECT_EQ(std::get<ZoneFileError>(missing).line, 0u);
    EXPECT_THAT(std::get<ZoneFileError>(missing).reason, HasSubstr("No such file"));

    const auto directory = load_zone_file(dir_, kApex, 5);
    ASSERT_TRUE(std::holds_alternative<ZoneFileError>(directory));
    EXPECT_THAT(std::get<ZoneFileError>(directory).reason, HasSubstr("directory"));
}

}  // namespace
}  // namespace dnsd::zones
