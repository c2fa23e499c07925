// Which prepared answer (or which part of an instance record) each (name shape, qtype) picks.
// The answers themselves are checked in service_zone_builder_test.cpp, instance_answer_test.cpp
// and query_test.cpp.
#include "zones/service_zone.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "zone_test_support.hpp"
#include "zones/service_set_answer.hpp"

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
        zone.tcp_srv_size = 60;
        zone.enumeration_size = 40;
        InstanceTableEditor table(InstanceTable{}, 2);
        table.put(record("i1", "10.0.0.1"));
        table.put(record("i6", "fd00::6"));
        zone.instances = std::move(table).finish();
    }
    static InstanceRef record(const std::string& id, const std::string& address) {
        return InstanceRecord::make(id, test::make_spec("api", id, address, 80),
                                    std::make_shared<registry::LeaseCell>(0), 1);
    }
    static std::uint32_t tag(const Lookup& l) { return l.answer ? l.answer->bytes_begin : 0; }
    // Which part of which instance the look-up asks to write; "" when none.
    static std::string part(const Lookup& l) {
        if (l.kind != LookupKind::answer || !l.instance || l.store || l.answer) return "";
        static const char* const names[] = {"none", "address", "txt", "srv", "dnssd_srv", "dnssd_txt"};
        return std::string(l.instance->id()) + " " + names[static_cast<int>(l.part)];
    }
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
    // Both sets are written at send time from the instances (service_set_answer.hpp).
    for (const std::uint16_t qtype : {33, 255}) {  // SRV, and ANY: the SRV set
        EXPECT_EQ(zone.at_tcp_name(qtype).kind, LookupKind::answer);
        EXPECT_EQ(zone.at_tcp_name(qtype).service, &zone);
        EXPECT_EQ(zone.at_tcp_name(qtype).set, ServiceSet::tcp_srv);
        EXPECT_EQ(zone.at_tcp_name(qtype).answer, nullptr);
    }
    EXPECT_EQ(zone.at_tcp_name(12).kind, LookupKind::answer);  // PTR: the DNS-SD enumeration
    EXPECT_EQ(zone.at_tcp_name(12).set, ServiceSet::enumeration);
    EXPECT_EQ(zone.at_tcp_name(1).kind, LookupKind::nodata);
    zone.tcp_srv_size = 0;  // nothing to list
    zone.enumeration_size = 0;
    EXPECT_EQ(zone.at_tcp_name(33).kind, LookupKind::nodata);
    EXPECT_EQ(zone.at_tcp_name(12).kind, LookupKind::nodata);
}

TEST_F(ServiceZoneTest, DnsSdInstanceName) {
    EXPECT_EQ(part(zone.at_dnssd_instance("i1", 33)), "i1 dnssd_srv");
    EXPECT_EQ(part(zone.at_dnssd_instance("i1", 255)), "i1 dnssd_srv");  // ANY: the SRV
    EXPECT_EQ(part(zone.at_dnssd_instance("i1", 16)), "i1 dnssd_txt");
    EXPECT_EQ(zone.at_dnssd_instance("i1", 1).kind, LookupKind::nodata);
    EXPECT_EQ(zone.at_dnssd_instance("i3", 33).kind, LookupKind::nxdomain);
    zone.has_tcp_name = false;  // a 63-byte service label: no _S._tcp names at all
    EXPECT_EQ(zone.at_dnssd_instance("i1", 33).kind, LookupKind::nxdomain);
}

TEST_F(ServiceZoneTest, InstanceName) {
    EXPECT_EQ(part(zone.at_instance("i1", 1)), "i1 address");
    EXPECT_EQ(zone.at_instance("i1", 28).kind, LookupKind::nodata);
    EXPECT_EQ(part(zone.at_instance("i1", 16)), "i1 txt");
    EXPECT_EQ(part(zone.at_instance("i1", 33)), "i1 srv");
    EXPECT_EQ(part(zone.at_instance("i1", 255)), "i1 address");
    EXPECT_EQ(zone.at_instance("i1", 2).kind, LookupKind::nodata);
    EXPECT_EQ(zone.at_instance("i3", 1).kind, LookupKind::nxdomain);
    EXPECT_EQ(part(zone.at_instance("i6", 28)), "i6 address");
    EXPECT_EQ(part(zone.at_instance("i6", 255)), "i6 address");
    EXPECT_EQ(zone.at_instance("i6", 1).kind, LookupKind::nodata);
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
