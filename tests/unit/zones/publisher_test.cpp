#include "zones/publisher.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "static_test_support.hpp"
#include "publisher_fixture.hpp"
#include "zone_test_support.hpp"
#include "zones/query.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;
using test::make_spec;

ZoneOptions options(std::string apex) {
    return test::zone_options(std::move(apex), "x");
}

class PublisherTest : public test::PublisherFixture {};

TEST_F(PublisherTest, PublishesAnEmptyZoneAtConstruction) {
    const auto snap = zones.current();
    ASSERT_NE(snap, nullptr);
    EXPECT_EQ(zones.generation(), 1u);
    EXPECT_EQ(snap->generation(), 1u);
    EXPECT_TRUE(snap->services().empty());
    EXPECT_EQ(zones.options().apex, "svc");
    Decoded soa = ask(snap, "svc", LDNS_RR_TYPE_SOA);
    ASSERT_EQ(soa.answer().size(), 1u);
    EXPECT_EQ(soa.answer()[0].rdata.at(0), "me.dnsd.svc.");
    EXPECT_EQ(soa.answer()[0].rdata.at(2), "0");
}

TEST_F(PublisherTest, EveryUpdatePublishesANewGeneration) {
    const auto before = zones.current();
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    publish();
    const auto after = zones.current();
    EXPECT_NE(before, after);
    EXPECT_EQ(zones.generation(), 2u);
    EXPECT_EQ(after->generation(), 2u);
    // The old snapshot stays whole for whoever still holds it.
    EXPECT_EQ(ask(before, "api.svc", LDNS_RR_TYPE_A).rcode(), LDNS_RCODE_NXDOMAIN);
    EXPECT_EQ(ask(after, "api.svc", LDNS_RR_TYPE_A).answer().size(), 1u);
    // Even with nothing changed the apex is rebuilt (the serial may have moved).
    publish();
    EXPECT_EQ(zones.generation(), 3u);
    EXPECT_EQ(ask(zones.current(), "svc", LDNS_RR_TYPE_SOA).answer().at(0).rdata.at(2),
              std::to_string(reg.index()));
}

TEST_F(PublisherTest, OnlyChangedServicesAreRebuilt) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    reg.renew(make_spec("web", "w", "10.0.0.2", 80));
    publish();
    const auto first = zones.current();
    const ServiceZone* api = first->services().find("api");
    const ServiceZone* web = first->services().find("web");

    reg.renew(make_spec("web", "w2", "10.0.0.3", 80));
    publish();
    const auto second = zones.current();
    EXPECT_EQ(second->services().find("api"), api);  // shared, not copied
    EXPECT_NE(second->services().find("web"), web);
    EXPECT_EQ(ask(second, "web.svc", LDNS_RR_TYPE_A).answer().size(), 2u);
}

TEST_F(PublisherTest, InstancesThatDidNotChangeKeepTheirRecords) {
    reg.renew(make_spec("web", "w1", "10.0.0.1", 80));
    reg.renew(make_spec("web", "w2", "10.0.0.2", 80));
    publish();
    const auto first = zones.current();
    const InstanceRecord* w1 = first->services().find("web")->instances.find("w1");
    ASSERT_NE(w1, nullptr);

    reg.renew(make_spec("web", "w3", "10.0.0.3", 80));
    reg.renew(make_spec("web", "w2", "10.0.0.22", 80));
    publish();
    const auto second = zones.current();
    const ServiceZone* web = second->services().find("web");
    EXPECT_EQ(web->instances.find("w1"), w1);  // shared with the first generation
    EXPECT_NE(web->instances.find("w2"), first->services().find("web")->instances.find("w2"));
    EXPECT_EQ(ask(second, "w2.web.svc", LDNS_RR_TYPE_A).answer().at(0).rdata.at(0), "10.0.0.22");
    EXPECT_EQ(ask(first, "w2.web.svc", LDNS_RR_TYPE_A).answer().at(0).rdata.at(0), "10.0.0.2");
    EXPECT_EQ(ask(second, "w1.web.svc", LDNS_RR_TYPE_A).answer().at(0).rdata.at(0), "10.0.0.1");

    // A full rebuild from the same registry shares them too.
    zones.update(reg, {}, true);
    EXPECT_EQ(zones.current()->services().find("web")->instances.find("w1"), w1);
}

TEST_F(PublisherTest, ForgottenServicesDisappear) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    publish();
    ASSERT_TRUE(reg.deregister("api", "a"));
    publish();
    EXPECT_EQ(ask(zones.current(), "api.svc", LDNS_RR_TYPE_A).rcode(), LDNS_RCODE_NOERROR);

    clock.advance_ms(10'001);  // past known_service_ms
    reg.sweep();
    ASSERT_EQ(reg.find("api"), nullptr);
    publish();
    EXPECT_EQ(zones.current()->services().find("api"), nullptr);
    EXPECT_EQ(ask(zones.current(), "api.svc", LDNS_RR_TYPE_A).rcode(), LDNS_RCODE_NXDOMAIN);
}

TEST_F(PublisherTest, FullRebuildMirrorsTheRegistry) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    zones.update(reg, {}, true);
    EXPECT_NE(zones.current()->services().find("api"), nullptr);
    EXPECT_EQ(zones.current()->services().size(), 1u);

    // A publisher that missed changes catches up with a full rebuild, dropping what is gone.
    registry::Registry other{clock};
    other.renew(make_spec("web", "w", "10.0.0.2", 80));
    zones.update(other, {}, true);
    EXPECT_EQ(zones.current()->services().find("api"), nullptr);
    EXPECT_NE(zones.current()->services().find("web"), nullptr);
}

TEST_F(PublisherTest, LargeFullRebuildOnTwoThreadsHasEveryService) {
    // Enough services for the two-thread build: each half must land under its own name.
    constexpr int count = 3000;
    for (int i = 0; i < count; ++i)
        reg.renew(make_spec("s" + std::to_string(i), "a", "10.0.0.1", static_cast<std::uint16_t>(1000 + i)));
    zones.update(reg, reg.take_changed(), true);
    const auto snap = zones.current();
    EXPECT_EQ(snap->services().size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; i += 7) {
        const std::string name = "s" + std::to_string(i);
        const ServiceZone* zone = snap->services().find(name);
        ASSERT_NE(zone, nullptr) << name;
        EXPECT_EQ(zone->name, name);
        const Decoded d = ask(snap, "a." + name + ".svc", 1);
        ASSERT_TRUE(d.ok()) << name;
        ASSERT_EQ(d.answer().size(), 1u) << name;
        EXPECT_EQ(d.answer()[0].rdata, std::vector<std::string>{"10.0.0.1"}) << name;
    }
}

TEST_F(PublisherTest, NameServersFollowServiceDnsd) {
    reg.renew(make_spec("dnsd", "n1", "10.0.9.1", 8054));
    publish();
    Decoded ns = ask(zones.current(), "svc", LDNS_RR_TYPE_NS);
    ASSERT_EQ(ns.answer().size(), 1u);
    EXPECT_EQ(ns.answer()[0].rdata.at(0), "n1.dnsd.svc.");
    EXPECT_EQ(ns.additional().size(), 1u);
}

TEST_F(PublisherTest, BrowseListIsRebuiltOnlyWhenTheSetOfLiveServicesChanges) {
    const auto empty = zones.current()->extras().browse;
    ASSERT_TRUE(empty);
    EXPECT_FALSE(empty->services.present());

    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    publish();
    const auto one = zones.current()->extras().browse;
    EXPECT_NE(one, empty);
    EXPECT_EQ(ask(zones.current(), "_services._dns-sd._udp.svc", LDNS_RR_TYPE_PTR).answer().size(), 1u);

    reg.renew(make_spec("api", "b", "10.0.0.2", 80));  // api changes, the list does not
    publish();
    EXPECT_EQ(zones.current()->extras().browse, one);

    ASSERT_TRUE(reg.deregister("api", "a"));
    ASSERT_TRUE(reg.deregister("api", "b"));
    publish();
    EXPECT_NE(zones.current()->extras().browse, one);
    Decoded none = ask(zones.current(), "_services._dns-sd._udp.svc", LDNS_RR_TYPE_PTR);
    EXPECT_EQ(none.rcode(), LDNS_RCODE_NOERROR);  // api is still known
    EXPECT_TRUE(none.answer().empty());

    // A full rebuild recomputes the list from the registry it is given.
    registry::Registry other{clock};
    other.renew(make_spec("web", "w", "10.0.0.3", 80));
    zones.update(other, {}, true);
    Decoded web = ask(zones.current(), "_services._dns-sd._udp.svc", LDNS_RR_TYPE_PTR);
    ASSERT_EQ(web.answer().size(), 1u);
    EXPECT_EQ(web.answer()[0].rdata.at(0), "_web._tcp.svc.");
}

TEST_F(PublisherTest, StaticZoneTakesEffectAtOnceAndSurvivesUpdates) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    publish();
    const auto before = zones.current();
    zones.set_static_zone(test::static_zone("svc", {"www.svc. 60 IN A 192.0.2.1"}));
    const auto after = zones.current();
    EXPECT_NE(after, before);
    EXPECT_EQ(zones.generation(), before->generation() + 1);
    // Everything else is shared, not rebuilt.
    EXPECT_EQ(&after->apex(), &before->apex());
    EXPECT_EQ(after->services().find("api"), before->services().find("api"));
    EXPECT_EQ(ask(after, "www.svc", LDNS_RR_TYPE_A).answer().size(), 1u);
    EXPECT_EQ(ask(before, "www.svc", LDNS_RR_TYPE_A).rcode(), LDNS_RCODE_NXDOMAIN);

    reg.renew(make_spec("api", "b", "10.0.0.2", 80));
    publish();
    EXPECT_EQ(ask(zones.current(), "www.svc", LDNS_RR_TYPE_A).answer().size(), 1u);
    zones.update(reg, {}, true);
    EXPECT_EQ(ask(zones.current(), "www.svc", LDNS_RR_TYPE_A).answer().size(), 1u);

    // A reload replaces the records as a whole.
    zones.set_static_zone(test::static_zone("svc", {"ftp.svc. 60 IN A 192.0.2.7"}));
    EXPECT_EQ(ask(zones.current(), "www.svc", LDNS_RR_TYPE_A).rcode(), LDNS_RCODE_NXDOMAIN);
    EXPECT_EQ(ask(zones.current(), "ftp.svc", LDNS_RR_TYPE_A).answer().size(), 1u);
}

TEST_F(PublisherTest, ChaosAnswersComeFromTheOptions) {
    ZoneOptions options = test::zone_options("svc", "n1");
    options.version = "9.9";
    ZonePublisher publisher{options};
    EXPECT_EQ(publisher.options().version, "9.9");
    test::QuerySpec chaos;
    chaos.qclass = LDNS_RR_CLASS_CH;
    const AnswerInfo info = answer_query(test::make_query("version.bind", LDNS_RR_TYPE_TXT, chaos), reply,
                                         *publisher.current(), clock.mono_ms(), false);
    Decoded d(std::span<const std::uint8_t>(reply).first(info.size));
    ASSERT_EQ(d.answer().size(), 1u);
    EXPECT_EQ(d.answer()[0].rdata.at(0), "\"dnsd 9.9\"");
}

TEST_F(PublisherTest, RejectsAnApexThatIsNoDomainOrTooLong) {
    EXPECT_THROW(ZonePublisher(options("")), std::invalid_argument);
    EXPECT_THROW(ZonePublisher(options(".")), std::invalid_argument);
    EXPECT_THROW(ZonePublisher(options("a..b")), std::invalid_argument);
    const std::string l62(62, 'x');
    // <63-byte id>.<63-byte service>.<apex> must fit in 255 bytes.
    EXPECT_THROW(ZonePublisher(options(l62 + "." + l62 + ".x")), std::invalid_argument);
    EXPECT_NO_THROW(ZonePublisher(options(l62 + "." + l62)));
    EXPECT_NO_THROW(ZonePublisher(options("svc.example.com.")));
}

}  // namespace
}  // namespace dnsd::zones
