#include "zones/static_zone.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
constexpr std::uint16_t kA = to_u16(RrType::a);
constexpr std::uint16_t kTxt = to_u16(RrType::txt);
constexpr std::uint16_t kCname = to_u16(RrType::cname);

StaticRecord record(const char* owner, std::uint16_t type, std::uint32_t ttl, Bytes rdata,
                    std::size_t line = 1) {
    return StaticRecord{name(owner), type, ttl, std::move(rdata), line};
}

std::shared_ptr<const StaticZone> built(const std::vector<StaticRecord>& records,
                                        std::uint32_t max_ttl = 86400) {
    auto result = StaticZone::build(kApex, records, max_ttl);
    if (auto* error = std::get_if<ZoneFileError>(&result)) {
        ADD_FAILURE() << "line " << error->line << ": " << error->reason;
        return nullptr;
    }
    return std::get<std::shared_ptr<const StaticZone>>(result);
}

ZoneFileError refused(const std::vector<StaticRecord>& records) {
    auto result = StaticZone::build(kApex, records, 86400);
    if (auto* error = std::get_if<ZoneFileError>(&result)) return *error;
    ADD_FAILURE() << "expected the records to be refused";
    return {};
}

TEST(StaticZone, GroupsRecordsOfOneOwnerAndTypeInFileOrder) {
    const auto zone = built({record("www.svc", kA, 60, {10, 0, 0, 2}),
                             record("www.svc", kTxt, 60, {1, 'x'}),
                             record("WWW.svc", kA, 60, {10, 0, 0, 1})});
    ASSERT_TRUE(zone);
    ASSERT_EQ(zone->rrsets().size(), 2u);
    const StaticRRset* a = zone->find(name("www.svc"), kA);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->owner, name("www.svc"));
    EXPECT_THAT(a->rdatas, ElementsAre(Bytes{10, 0, 0, 2}, Bytes{10, 0, 0, 1}));
    EXPECT_EQ(zone->record_count(), 3u);
    EXPECT_EQ(zone->apex(), kApex);
}

TEST(StaticZone, AnRRsetTakesTheSmallestTtlCappedAtMaxTtl) {
    const auto zone = built({record("a.svc", kA, 300, {10, 0, 0, 1}),
                             record("a.svc", kA, 120, {10, 0, 0, 2}),
                             record("b.svc", kA, 3600, {10, 0, 0, 3}),
                             record("c.svc", kA, 2, {10, 0, 0, 4})},
                            5);
    ASSERT_TRUE(zone);
    EXPECT_EQ(zone->find(name("a.svc"), kA)->ttl, 5u);
    EXPECT_EQ(zone->find(name("c.svc"), kA)->ttl, 2u) << "a TTL under the cap stays";

    const auto uncapped = built({record("a.svc", kA, 300, {10, 0, 0, 1}),
                                 record("a.svc", kA, 120, {10, 0, 0, 2})},
                                1000);
    ASSERT_TRUE(uncapped);
    EXPECT_EQ(uncapped->find(name("a.svc"), kA)->ttl, 120u);
}

TEST(StaticZone, ARepeatedRecordIsKeptOnce) {
    const auto zone = built({record("a.svc", kA, 60, {10, 0, 0, 1}), record("a.svc", kA, 60, {10, 0, 0, 1})});
    ASSERT_TRUE(zone);
    EXPECT_THAT(zone->find(name("a.svc"), kA)->rdatas, ElementsAre(Bytes{10, 0, 0, 1}));
    EXPECT_EQ(zone->record_count(), 1u);
}

TEST(StaticZone, RRsetsAreSortedByOwnerThenType) {
    const auto zone = built({record("b.svc", kTxt, 60, {0}), record("b.svc", kA, 60, {1, 2, 3, 4}),
                             record("a.svc", kA, 60, {1, 2, 3, 4})});
    ASSERT_TRUE(zone);
    std::vector<std::pair<std::string, std::uint16_t>> order;
    for (const auto& rrset : zone->rrsets()) order.emplace_back(rrset.owner.to_text(), rrset.type);
    EXPECT_THAT(order, ElementsAre(std::pair<std::string, std::uint16_t>("a.svc.", kA),
                                   std::pair<std::string, std::uint16_t>("b.svc.", kA),
                                   std::pair<std::string, std::uint16_t>("b.svc.", kTxt)));
}

TEST(StaticZone, FindMissesOtherTypesAndNames) {
    const auto zone = built({record("a.svc", kA, 60, {1, 2, 3, 4})});
    ASSERT_TRUE(zone);
    EXPECT_EQ(zone->find(name("a.svc"), kTxt), nullptr);
    EXPECT_EQ(zone->find(name("b.svc"), kA), nullptr);
    EXPECT_EQ(zone->find(name("x.a.svc"), kA), nullptr);
}

TEST(StaticZone, EmptyNonTerminalsExistButOtherNamesDoNot) {
    const auto zone = built({record("host.lab.svc", kA, 60, {1, 2, 3, 4})});
    ASSERT_TRUE(zone);
    EXPECT_TRUE(zone->name_exists(name("host.lab.svc")));
    EXPECT_TRUE(zone->name_exists(name("lab.svc"))) << "empty non-terminal (RFC 8020)";
    EXPECT_FALSE(zone->name_exists(name("other.svc")));
    EXPECT_FALSE(zone->name_exists(name("x.host.lab.svc")));
}

TEST(StaticZone, NoRecordsIsAValidZone) {
    const auto zone = built({});
    ASSERT_TRUE(zone);
    EXPECT_TRUE(zone->rrsets().empty());
    EXPECT_EQ(zone->record_count(), 0u);
    EXPECT_FALSE(zone->name_exists(kApex));
}

TEST(StaticZone, ApexRecordsOfOtherTypesAreAllowed) {
    const auto zone = built({record("svc", kTxt, 60, {2, 'h', 'i'})});
    ASSERT_TRUE(zone);
    EXPECT_NE(zone->find(kApex, kTxt), nullptr);
}

TEST(StaticZone, RefusesOwnersOutsideTheApexWithTheirLine) {
    const ZoneFileError error = refused({record("a.svc", kA, 60, {1, 2, 3, 4}, 1),
                                         record("www.example.com", kA, 60, {1, 2, 3, 4}, 7)});
    EXPECT_EQ(error.line, 7u);
    EXPECT_THAT(error.reason, HasSubstr("www.example.com. is outside the zone svc."));
    EXPECT_EQ(refused({record("xsvc", kA, 60, {1, 2, 3, 4})}).line, 1u)
        << "a suffix that is not a label boundary is outside";
}

TEST(StaticZone, RefusesSoaAndNsThatDnsdMakesItself) {
    EXPECT_THAT(refused({record("svc", to_u16(RrType::soa), 60, {0}, 3)}).reason, HasSubstr("SOA"));
    EXPECT_THAT(refused({record("sub.svc", to_u16(RrType::soa), 60, {0}, 3)}).reason, HasSubstr("SOA"));
    const ZoneFileError apex_ns = refused({record("svc", to_u16(RrType::ns), 60, {0}, 4)});
    EXPECT_EQ(apex_ns.line, 4u);
    EXPECT_THAT(apex_ns.reason, HasSubstr("NS records at the apex"));
    EXPECT_THAT(refused({record("sub.svc", to_u16(RrType::ns), 60, {0})}).reason, HasSubstr("delegations"));
}

TEST(StaticZone, RefusesMetaTypes) {
    for (std::uint16_t type : {std::uint16_t{0}, to_u16(RrType::opt), std::uint16_t{250}, to_u16(RrType::axfr),
                               to_u16(RrType::any)}) {
        EXPECT_THAT(refused({record("a.svc", type, 60, {})}).reason, HasSubstr("meta-type")) << type;
    }
}

TEST(StaticZone, ACnameStandsAlone) {
    const Bytes target{6, 't', 'a', 'r', 'g', 'e', 't', 3, 's', 'v', 'c', 0};
    const Bytes other{5, 'o', 't', 'h', 'e', 'r', 3, 's', 'v', 'c', 0};

    const ZoneFileError after_data =
        refused({record("w.svc", kA, 60, {1, 2, 3, 4}, 2), record("w.svc", kCname, 60, target, 5)});
    EXPECT_EQ(after_data.line, 5u);
    EXPECT_THAT(after_data.reason, HasSubstr("line 2"));

    const ZoneFileError before_data =
        refused({record("w.svc", kCname, 60, target, 2), record("w.svc", kTxt, 60, {0}, 3)});
    EXPECT_EQ(before_data.line, 3u);
    EXPECT_THAT(before_data.reason, HasSubstr("has a CNAME (line 2)"));

    const ZoneFileError two =
        refused({record("w.svc", kCname, 60, target, 2), record("w.svc", kCname, 60, other, 3)});
    EXPECT_EQ(two.line, 3u);
    EXPECT_THAT(two.reason, HasSubstr("only one"));

    EXPECT_THAT(refused({record("svc", kCname, 60, target)}).reason, HasSubstr("apex"));

    const auto same_twice =
        built({record("w.svc", kCname, 60, target, 2), record("w.svc", kCname, 60, target, 3)});
    ASSERT_TRUE(same_twice);
    EXPECT_EQ(same_twice->record_count(), 1u);
    EXPECT_TRUE(built({record("w.svc", kCname, 60, target), record("x.w.svc", kA, 60, {1, 2, 3, 4})}))
        << "a name below a CNAME is a different name";
}

}  // namespace
}  // namespace dnsd::zones
