#include "zones/wire_writer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "zone_test_support.hpp"
#include "zones/dns_name.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;

TEST(WireWriter, WritesBigEndianWithinBounds) {
    std::array<std::uint8_t, 7> buf{};
    WireWriter w(buf);
    w.u8(1);
    w.u16(0x0203);
    w.u32(0x04050607);
    EXPECT_TRUE(w.ok());
    EXPECT_EQ(w.size(), 7u);
    EXPECT_EQ(buf, (std::array<std::uint8_t, 7>{1, 2, 3, 4, 5, 6, 7}));
}

TEST(WireWriter, OverflowWritesNothingAndSticksUntilRollback) {
    std::array<std::uint8_t, 4> buf{};
    WireWriter w(buf);
    w.u16(0xaaaa);
    const auto mark = w.mark();
    w.u8(1);
    w.u16(0xbbbb);  // does not fit
    EXPECT_FALSE(w.ok());
    w.u8(2);  // still refused: the record is already broken
    EXPECT_EQ(w.size(), 3u);
    w.rollback(mark);
    EXPECT_TRUE(w.ok());
    EXPECT_EQ(w.size(), 2u);
    w.u16(0xcccc);
    EXPECT_TRUE(w.ok());
    EXPECT_EQ(buf, (std::array<std::uint8_t, 4>{0xaa, 0xaa, 0xcc, 0xcc}));
}

TEST(WireWriter, PatchOverwritesWrittenBytesOnly) {
    std::array<std::uint8_t, 4> buf{};
    WireWriter w(buf);
    w.u16(0);
    w.patch_u16(0, 0x1234);
    w.patch_u16(2, 0x5678);  // not written yet: ignored
    EXPECT_EQ(buf, (std::array<std::uint8_t, 4>{0x12, 0x34, 0, 0}));
}

// A message with one question and `names` as the rdata of NS records, decoded by ldns.
std::vector<std::string> ns_targets_via_ldns(std::span<const std::uint8_t> message) {
    Decoded d(message);
    std::vector<std::string> out;
    for (const auto& rr : d.answer()) out.push_back(rr.rdata.at(0));
    return out;
}

TEST(WireWriter, CompressesLaterNamesIntoPointers) {
    std::vector<std::uint8_t> buf(512);
    CompressionTable names;
    WireWriter w(buf, &names);
    const DnsName q = *DnsName::from_text("api.svc");
    const DnsName a = *DnsName::from_text("n1.dnsd.svc");
    const DnsName b = *DnsName::from_text("n2.dnsd.svc");
    for (std::uint16_t v : {0, 0x8400, 1, 2, 0, 0}) w.u16(v);
    w.name(q.wire());
    w.u16(2);
    w.u16(1);
    for (const DnsName* target : {&a, &b}) {
        w.name(q.wire());
        w.u16(2);
        w.u16(1);
        w.u32(60);
        const std::size_t rdlength_at = w.size();
        w.u16(0);
        const std::size_t before = w.size();
        w.name(target->wire());
        w.patch_u16(rdlength_at, static_cast<std::uint16_t>(w.size() - before));
    }
    ASSERT_TRUE(w.ok());
    // Owner 1: pointer (2). Target 1: "n1" "dnsd" + pointer to "svc" (3+5+2). Owner 2: pointer.
    // Target 2: "n2" + pointer to "dnsd.svc" (3+2).
    EXPECT_EQ(w.size(), 12u + 9 + 4 + (2 + 10 + 10) + (2 + 10 + 5));
    EXPECT_EQ(ns_targets_via_ldns(w.written()),
              (std::vector<std::string>{"n1.dnsd.svc.", "n2.dnsd.svc."}));
}

TEST(WireWriter, ForbiddenCompressionWritesWholeButIsRemembered) {
    std::vector<std::uint8_t> buf(512);
    CompressionTable names;
    WireWriter w(buf, &names);
    const DnsName svc = *DnsName::from_text("svc");
    const DnsName target = *DnsName::from_text("i.svc");
    w.name(svc.wire());
    const std::size_t at = w.size();
    w.name(target.wire(), Compression::forbidden);
    EXPECT_EQ(w.size() - at, target.size());
    w.name(target.wire());
    EXPECT_EQ(w.size() - at, target.size() + 2);  // the second copy is a pointer to the first
    EXPECT_EQ(buf[w.size() - 2], 0xc0);
    EXPECT_EQ(buf[w.size() - 1], at);
}

TEST(WireWriter, RollbackForgetsNamesWrittenAfterTheMark) {
    std::vector<std::uint8_t> buf(64);
    CompressionTable names;
    WireWriter w(buf, &names);
    const DnsName svc = *DnsName::from_text("svc");
    const DnsName api = *DnsName::from_text("api.svc");
    w.name(svc.wire());
    const auto mark = w.mark();
    w.name(api.wire());
    w.rollback(mark);
    // A pointer to the rolled-back "api.svc" would point at garbage: it must be written anew.
    const std::size_t at = w.size();
    w.name(api.wire());
    EXPECT_EQ(w.size() - at, 4u + 2u);  // "api" + pointer to "svc"
}

TEST(WireWriter, WithoutTableNamesAreCopied) {
    std::vector<std::uint8_t> buf(64);
    WireWriter w(buf);
    const DnsName api = *DnsName::from_text("api.svc");
    w.name(api.wire());
    w.name(api.wire());
    EXPECT_EQ(w.size(), 2 * api.size());
}

}  // namespace
}  // namespace dnsd::zones
