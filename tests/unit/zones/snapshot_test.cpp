#include "zones/snapshot.hpp"

#include <gtest/gtest.h>

#include <string>

#include "raw_message.hpp"
#include "registry/registry.hpp"
#include "zone_test_support.hpp"
#include "zones/apex_zone_builder.hpp"
#include "zones/service_zone_builder.hpp"
#include "zones/wire_reader.hpp"

namespace dnsd::zones {
namespace {

using test::make_spec;

QueryName query_name(std::string_view dotted) {
    const test::RawMessage m = test::RawMessage().name(dotted);
    WireReader reader(m.bytes());
    QueryName name;
    EXPECT_EQ(reader.read_question_name(name), NameStatus::ok);
    return name;
}

class SnapshotTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock};
    AnswerBuilder builder;

    Snapshot make(const std::string& apex_text) {
        const DnsName apex = *DnsName::from_text(apex_text);
        ServiceIndexEditor editor{ServiceIndex{}};
        for (const auto& [name, service] : reg.services())
            editor.put(build_service_zone(builder, apex, name, service));
        return Snapshot(build_apex_zone(builder, ZoneOptions{apex_text, 5, "n"}, apex, 1, nullptr),
                        std::move(editor).finish(), 5, 3);
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
    EXPECT_EQ(snap.find(query_name("_api._tcp.svc"), 33).answer, &api->tcp_srv);
    EXPECT_EQ(snap.find(query_name("i1.api.svc"), 1).answer, &api->instances.at("i1").address);

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
