#include "zones/snapshot.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "raw_message.hpp"
#include "registry/registry.hpp"
#include "zone_test_support.hpp"
#include "zones/service_set_answer.hpp"
#include "static_test_support.hpp"
#include "zones/apex_zone_builder.hpp"
#include "zones/browse_zone_builder.hpp"
#include "zones/chaos_zone_builder.hpp"
#include "zones/service_zone_builder.hpp"
#include "zones/static_records_builder.hpp"
#include "zones/wire_reader.hpp"

namespace dnsd::zones {
namespace {

using test::make_spec;

using test::query_name;

class SnapshotTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock};
    AnswerBuilder builder;

    Snapshot make(const std::string& apex_text, const std::vector<std::string>& zone_file = {}) {
        const DnsName apex = *DnsName::from_text(apex_text);
        ServiceIndexEditor editor{ServiceIndex{}};
        std::set<std::string> browsable;
        for (const auto& [name, service] : reg.services()) {
            editor.put(build_service_zone(builder, apex, name, service));
            if (!service.instances.empty()) browsable.insert(name);
        }
        const ZoneOptions options = test::zone_options(apex_text, "n");
        SnapshotExtras extras;
        extras.browse = build_browse_zone(builder, apex, browsable);
        extras.chaos = build_chaos_zone(builder, options);
        if (!zone_file.empty())
            extras.statics = build_static_records(builder, *test::static_zone(apex_text, zone_file), apex);
        return Snapshot(build_apex_zone(builder, options, apex, 1, nullptr),
                        std::move(editor).finish(), 5, 3, std::move(extras));
    }
};

TEST_F(SnapshotTest, ClassifiesNamesByShape) {
    reg.renew(make_spec("api", "i1", "10.0.0.1", 80));
    const Snapshot snap = make("svc");
    EXPECT_EQ(snap.generation(), 3u);
    EXPECT_EQ(snap.max_ttl_s(), 5u);

    const Lookup apex = snap.find(query_name("svc"), 6);
    EXPECT_EQ(apex.kind, LookupKind::answer);
    EXPECT_EQ(apex.store, &snap.apex().store);

    const ServiceZone* api = snap.services().find("api");
    ASSERT_NE(api, nullptr);
    const Lookup service = snap.find(query_name("API.svc"), 1);
    EXPECT_EQ(service.kind, LookupKind::answer);
    EXPECT_EQ(service.answer, &api->a);
    EXPECT_EQ(snap.find(query_name("_api._tcp.svc"), 33).service, api);
    EXPECT_EQ(snap.find(query_name("_api._tcp.svc"), 33).set, ServiceSet::tcp_srv);
    EXPECT_EQ(snap.find(query_name("i1.api.svc"), 1).instance, api->instances.find("i1"));
    EXPECT_EQ(snap.find(query_name("i1.api.svc"), 1).part, InstancePart::address);

    EXPECT_EQ(snap.find(query_name("_tcp.svc"), 33).kind, LookupKind::nodata);  // empty non-terminal
    EXPECT_EQ(snap.find(query_name("api.svc"), 16).kind, LookupKind::nodata);
    for (const char* name : {"web.svc", "i2.api.svc", "x.i1.api.svc", "_web._tcp.svc", "_._tcp.svc",
                             "api._tcp.svc", "_api._udp.svc", "a.b.c.d.svc"})
        EXPECT_EQ(snap.find(query_name(name), 1).kind, LookupKind::nxdomain) << name;
    for (const char* name : {"", "com", "example.com", "svc.example", "xsvc", "api.xsvc", "vc"})
        EXPECT_EQ(snap.find(query_name(name), 1).kind, LookupKind::refused) << name;
}

TEST_F(SnapshotTest, TcpIsNxdomainWhenNoServiceExists) {
    const Snapshot snap = make("svc");
    EXPECT_EQ(snap.find(query_name("_tcp.svc"), 33).kind, LookupKind::nxdomain);
}

TEST_F(SnapshotTest, DnsSdBrowseTree) {
    reg.renew(make_spec("api", "i1", "10.0.0.1", 80));
    const Snapshot snap = make("svc");
    const ServiceZone* api = snap.services().find("api");

    const Lookup browse = snap.find(query_name("_Services._dns-sd._udp.svc"), 12);
    EXPECT_EQ(browse.kind, LookupKind::answer);
    EXPECT_EQ(browse.answer, &snap.extras().browse->services);
    EXPECT_EQ(snap.find(query_name("_services._dns-sd._udp.svc"), 255).kind, LookupKind::answer);
    EXPECT_EQ(snap.find(query_name("_services._dns-sd._udp.svc"), 1).kind, LookupKind::nodata);
    EXPECT_EQ(snap.find(query_name("_dns-sd._udp.svc"), 12).kind, LookupKind::nodata);
    EXPECT_EQ(snap.find(query_name("_udp.svc"), 12).kind, LookupKind::nodata);

    EXPECT_EQ(snap.find(query_name("_api._tcp.svc"), 12).service, api);
    EXPECT_EQ(snap.find(query_name("_api._tcp.svc"), 12).set, ServiceSet::enumeration);
    EXPECT_EQ(snap.find(query_name("i1._api._tcp.svc"), 33).instance, api->instances.find("i1"));
    EXPECT_EQ(snap.find(query_name("i1._api._tcp.svc"), 33).part, InstancePart::dnssd_srv);
    EXPECT_EQ(snap.find(query_name("i1._api._tcp.svc"), 16).part, InstancePart::dnssd_txt);
    EXPECT_EQ(snap.find(query_name("i1._api._tcp.svc"), 1).kind, LookupKind::nodata);
    for (const char* name : {"i2._api._tcp.svc", "i1._web._tcp.svc", "i1.api._tcp.svc", "x.i1._api._tcp.svc",
                             "_other._dns-sd._udp.svc", "_services._x._udp.svc", "_dns-sd._tcp.svc"})
        EXPECT_EQ(snap.find(query_name(name), 12).kind, LookupKind::nxdomain) << name;
}

TEST_F(SnapshotTest, BrowseNamesAreNxdomainWithoutAnyService) {
    const Snapshot snap = make("svc");
    for (const char* name : {"_services._dns-sd._udp.svc", "_dns-sd._udp.svc", "_udp.svc"})
        EXPECT_EQ(snap.find(query_name(name), 12).kind, LookupKind::nxdomain) << name;
}

TEST_F(SnapshotTest, KnownServicesWithoutInstancesKeepTheBrowseNameAsNodata) {
    reg.renew(make_spec("api", "i1", "10.0.0.1", 80));
    ASSERT_TRUE(reg.deregister("api", "i1"));
    const Snapshot snap = make("svc");
    EXPECT_EQ(snap.find(query_name("_services._dns-sd._udp.svc"), 12).kind, LookupKind::nodata);
}

TEST_F(SnapshotTest, ChaosNamesAreLookedUpApart) {
    const Snapshot snap = make("svc");
    EXPECT_EQ(snap.find_chaos(query_name("version.bind"), 16).kind, LookupKind::answer);
    EXPECT_EQ(snap.find_chaos(query_name("version.bind"), 16).store, &snap.extras().chaos->store);
    EXPECT_EQ(snap.find_chaos(query_name("svc"), 6).kind, LookupKind::refused);
    EXPECT_EQ(snap.find(query_name("version.bind"), 16).kind, LookupKind::refused);  // IN
    const Snapshot bare(snap.apex_ptr(), ServiceIndex{}, 5, 1);
    EXPECT_EQ(bare.find_chaos(query_name("version.bind"), 16).kind, LookupKind::refused);
}

TEST_F(SnapshotTest, ZoneFileFillsInWhatTheRegistryDoesNotAnswer) {
    reg.renew(make_spec("api", "i1", "10.0.0.1", 80));
    const Snapshot snap = make("svc", {"www.svc. 60 IN A 192.0.2.1", "api.svc. 60 IN TXT \"static\"",
                                       "api.svc. 60 IN A 192.0.2.9", "x.b.svc. 60 IN TXT \"deep\"",
                                       "svc. 60 IN MX 10 mail.svc.", "alias.svc. 60 IN CNAME www.svc.",
                                       "i1.api.svc. 60 IN MX 5 mx.example.", "y.i1.api.svc. 60 IN A 192.0.2.3"});
    const StaticRecords& statics = *snap.extras().statics;
    const ServiceZone* api = snap.services().find("api");

    EXPECT_EQ(snap.find(query_name("www.svc"), 1).store, &statics.store);
    EXPECT_EQ(snap.find(query_name("www.svc"), 28).kind, LookupKind::nodata);
    // The registry wins for its (name, type) pairs; the file adds the others.
    EXPECT_EQ(snap.find(query_name("api.svc"), 1).answer, &api->a);
    EXPECT_EQ(snap.find(query_name("api.svc"), 16).store, &statics.store);
    EXPECT_EQ(snap.find(query_name("svc"), 15).store, &statics.store);
    EXPECT_EQ(snap.find(query_name("svc"), 6).store, &snap.apex().store);
    EXPECT_EQ(snap.find(query_name("i1.api.svc"), 15).store, &statics.store);
    EXPECT_EQ(snap.find(query_name("i1.api.svc"), 1).instance, api->instances.find("i1"));
    EXPECT_EQ(snap.find(query_name("y.i1.api.svc"), 1).store, &statics.store);
    // Empty non-terminal and unknown names.
    EXPECT_EQ(snap.find(query_name("b.svc"), 1).kind, LookupKind::nodata);
    EXPECT_EQ(snap.find(query_name("x.b.svc"), 1).kind, LookupKind::nodata);
    EXPECT_EQ(snap.find(query_name("z.b.svc"), 1).kind, LookupKind::nxdomain);
    EXPECT_EQ(snap.find(query_name("nope.svc"), 1).kind, LookupKind::nxdomain);
    // A CNAME answers any type.
    EXPECT_EQ(snap.find(query_name("alias.svc"), 1).store, &statics.store);
    EXPECT_EQ(snap.find(query_name("alias.svc"), 28).store, &statics.store);
}

TEST_F(SnapshotTest, StaticCnameAtARegistryNameIsHidden) {
    reg.renew(make_spec("api", "i1", "10.0.0.1", 80));
    const Snapshot snap = make("svc", {"api.svc. 60 IN CNAME www.example."});
    EXPECT_EQ(snap.find(query_name("api.svc"), 1).answer, &snap.services().find("api")->a);
    EXPECT_EQ(snap.find(query_name("api.svc"), 15).kind, LookupKind::nodata);
}

TEST_F(SnapshotTest, MultiLabelApex) {
    reg.renew(make_spec("api", "i1", "10.0.0.1", 80));
    const Snapshot snap = make("Svc.Example.COM.");
    EXPECT_EQ(snap.find(query_name("svc.example.com"), 6).kind, LookupKind::answer);
    EXPECT_EQ(snap.find(query_name("api.svc.example.com"), 1).kind, LookupKind::answer);
    EXPECT_EQ(snap.find(query_name("i1.api.svc.example.com"), 1).kind, LookupKind::answer);
    EXPECT_EQ(snap.find(query_name("example.com"), 6).kind, LookupKind::refused);
    EXPECT_EQ(snap.find(query_name("api.example.com"), 1).kind, LookupKind::refused);
    EXPECT_EQ(snap.find(query_name("api.xsvc.example.com"), 1).kind, LookupKind::refused);
}

}  // namespace
}  // namespace dnsd::zones
