#include "zones/record_data.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace dnsd::zones {
namespace {

std::vector<std::uint8_t> written(const WireWriter& w) {
    return {w.written().begin(), w.written().end()};
}

TEST(RecordData, AddressRdataIsTheRawAddress) {
    std::array<std::uint8_t, 16> buf{};
    WireWriter w(buf);
    const auto v4 = *registry::IpAddress::parse("10.1.2.3");
    write_address(w, v4);
    EXPECT_EQ(written(w), (std::vector<std::uint8_t>{10, 1, 2, 3}));
    EXPECT_EQ(address_type(v4), RrType::a);
    const auto v6 = *registry::IpAddress::parse("fd00::1");
    EXPECT_EQ(address_type(v6), RrType::aaaa);
    WireWriter w6(buf);
    write_address(w6, v6);
    EXPECT_EQ(w6.size(), 16u);
    EXPECT_EQ(buf[0], 0xfd);
    EXPECT_EQ(buf[15], 1);
}

TEST(RecordData, SrvTargetIsNeverCompressed) {
    std::vector<std::uint8_t> buf(64);
    CompressionTable names;
    WireWriter w(buf, &names);
    const DnsName target = *DnsName::from_text("i.api.svc");
    w.name(target.wire());  // known before: a compressing writer could point to it
    const std::size_t at = w.size();
    write_srv(w, 1, 2, 8080, target);
    const std::vector<std::uint8_t> rdata(buf.begin() + static_cast<std::ptrdiff_t>(at),
                                          buf.begin() + static_cast<std::ptrdiff_t>(w.size()));
    std::vector<std::uint8_t> expected{0, 1, 0, 2, 0x1f, 0x90};
    expected.insert(expected.end(), target.bytes().begin(), target.bytes().end());
    EXPECT_EQ(rdata, expected);
}

TEST(RecordData, TxtCharacterStrings) {
    std::vector<std::uint8_t> buf(600);
    WireWriter w(buf);
    const std::vector<std::string> strings{"version=1", "a=b"};
    write_txt(w, strings);
    EXPECT_EQ(written(w), (std::vector<std::uint8_t>{9, 'v', 'e', 'r', 's', 'i', 'o', 'n', '=', '1',
                                                     3, 'a', '=', 'b'}));

    WireWriter empty(buf);
    write_txt(empty, {});
    EXPECT_EQ(written(empty), (std::vector<std::uint8_t>{0}));  // one empty string

    WireWriter longer(buf);
    const std::vector<std::string> too_long{std::string(300, 'x')};
    write_txt(longer, too_long);
    EXPECT_EQ(longer.size(), 256u);
    EXPECT_EQ(buf[0], 255);
}

TEST(RecordData, InstanceTxtIsVersionThenMetaInKeyOrder) {
    registry::InstanceSpec spec;
    EXPECT_TRUE(instance_txt(spec).empty());
    spec.meta = {{"zone", "a"}, {"arch", "arm"}};
    EXPECT_EQ(instance_txt(spec), (std::vector<std::string>{"arch=arm", "zone=a"}));
    spec.version = "1.2.3";
    EXPECT_EQ(instance_txt(spec), (std::vector<std::string>{"version=1.2.3", "arch=arm", "zone=a"}));
}

TEST(RecordData, SoaFieldsInOrder) {
    std::vector<std::uint8_t> buf(128);
    WireWriter w(buf);
    const SoaFields soa{*DnsName::from_text("ns.svc"), *DnsName::from_text("h.svc"), 7, 1, 2, 3, 4};
    write_soa(w, soa);
    ASSERT_EQ(w.size(), soa.mname.size() + soa.rname.size() + 20);
    const std::size_t numbers = soa.mname.size() + soa.rname.size();
    const std::vector<std::uint8_t> tail(buf.begin() + static_cast<std::ptrdiff_t>(numbers),
                                         buf.begin() + static_cast<std::ptrdiff_t>(numbers + 20));
    EXPECT_EQ(tail, (std::vector<std::uint8_t>{0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4}));
}

TEST(RecordData, NsIsTheTargetName) {
    std::vector<std::uint8_t> buf(64);
    WireWriter w(buf);
    const DnsName target = *DnsName::from_text("n1.dnsd.svc");
    write_ns(w, target);
    EXPECT_EQ(w.size(), target.size());
}

TEST(RecordData, PtrTargetMayBeCompressed) {
    std::vector<std::uint8_t> buf(64);
    CompressionTable names;
    WireWriter w(buf, &names);
    const DnsName tcp = *DnsName::from_text("_tcp.svc");
    w.name(tcp.wire());
    write_ptr(w, *tcp.prepend("_api"));
    EXPECT_EQ(w.size(), tcp.size() + 5 + 2);  // "_api" and a pointer to _tcp.svc
    EXPECT_EQ(buf[tcp.size() + 5], 0xc0);
}

}  // namespace
}  // namespace dnsd::zones
