// Which prepared answer each (name shape, qtype) picks. The answers themselves are checked in
// service_zone_builder_test.cpp and query_test.cpp.
#include "zones/service_zone.hpp"

#include <gtest/gtest.h>

namespace dnsd::zones {
namespace {

PreparedAnswer present(std::uint32_t tag) {
    PreparedAnswer a;
    a.bytes_begin = tag;
    a.size = 1;
    return a;
}

class ServiceZoneTest : public ::testing::Test {
protected:
    ServiceZone zone;
    void SetUp() override {
        zone.name = "api";
        zone.a = present(1);
        zone.srv = present(3);
        zone.tcp_srv = present(4);
        zone.tcp_ptr = present(5);
        InstanceAnswers v4;
        v4.address_type = RrType::a;
        v4.address = present(10);
        v4.txt = present(11);
        v4.srv = present(12);
        v4.dnssd_srv = present(13);
        v4.dnssd_txt = present(14);
        zone.instances.emplace("i1", v4);
        InstanceAnswers long_id;  // its DNS-SD name would not fit in 255 bytes
        long_id.address = present(20);
        zone.instances.emplace("i2", long_id);
    }
    static std::uint32_t tag(const Lookup& l) { return l.answer ? l.answer->bytes_begin : 0; }
};

TEST_F(ServiceZoneTest, ServiceName) {
    EXPECT_EQ(tag(zone.at_service(1)), 1u);
    EXPECT_EQ(zone.at_service(1).store, &zone.store);
    EXPECT_EQ(zone.at_service(28).kind, LookupKind::nodata);  // no IPv6 instance
    EXPECT_EQ(tag(zone.at_service(33)), 3u);
    EXPECT_EQ(zone.at_service(16).kind, LookupKind::nodata);
    EXPECT_EQ(tag(zone.at_service(255)), 1u);  // ANY: the addresses
    zone.a = {};
    zone.aaaa = present(2);
    EXPECT_EQ(tag(zone.at_service(255)), 2u);
}

TEST_F(ServiceZoneTest, TcpName) {
    EXPECT_EQ(tag(zone.at_tcp_name(33)), 4u);
    EXPECT_EQ(tag(zone.at_tcp_name(255)), 4u);
    EXPECT_EQ(tag(zone.at_tcp_name(12)), 5u);  // PTR: the DNS-SD instance enumeration
    EXPECT_EQ(zone.at_tcp_name(1).kind, LookupKind::nodata);
}

TEST_F(ServiceZoneTest, DnsSdInstanceName) {
    EXPECT_EQ(tag(zone.at_dnssd_instance("i1", 33)), 13u);
    EXPECT_EQ(tag(zone.at_dnssd_instance("i1", 255)), 13u);  // ANY: the SRV
    EXPECT_EQ(tag(zone.at_dnssd_instance("i1", 16)), 14u);
    EXPECT_EQ(zone.at_dnssd_instance("i1", 1).kind, LookupKind::nodata);
    EXPECT_EQ(zone.at_dnssd_instance("i2", 33).kind, LookupKind::nxdomain);
    EXPECT_EQ(zone.at_dnssd_instance("i3", 33).kind, LookupKind::nxdomain);
}

TEST_F(ServiceZoneTest, InstanceName) {
    EXPECT_EQ(tag(zone.at_instance("i1", 1)), 10u);
    EXPECT_EQ(zone.at_instance("i1", 28).kind, LookupKind::nodata);
    EXPECT_EQ(tag(zone.at_instance("i1", 16)), 11u);
    EXPECT_EQ(tag(zone.at_instance("i1", 33)), 12u);
    EXPECT_EQ(tag(zone.at_instance("i1", 255)), 10u);
    EXPECT_EQ(zone.at_instance("i1", 2).kind, LookupKind::nodata);
    EXPECT_EQ(zone.at_instance("i3", 1).kind, LookupKind::nxdomain);
}

TEST_F(ServiceZoneTest, EmptyServiceIsNodataEverywhere) {
    ServiceZone empty;
    for (std::uint16_t t : {1, 12, 28, 33, 255}) {
        EXPECT_EQ(empty.at_service(t).kind, LookupKind::nodata);
        EXPECT_EQ(empty.at_tcp_name(t).kind, LookupKind::nodata);
        EXPECT_EQ(empty.at_instance("x", t).kind, LookupKind::nxdomain);
        EXPECT_EQ(empty.at_dnssd_instance("x", t).kind, LookupKind::nxdomain);
    }
}

}  // namespace
}  // namespace dnsd::zones
