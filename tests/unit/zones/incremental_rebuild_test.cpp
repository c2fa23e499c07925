// A zone published change by change (only the instances the registry names as changed are
// redone) must answer exactly as a zone built from the whole registry at once. Random
// registrations, updates, renewals, health changes, deregistrations and expiries, compared
// after every publication: prepared answers byte for byte, the records in id order, and the
// answers to every name.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "publisher_fixture.hpp"
#include "registry/registry.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;

struct ServiceShape {
    std::string name;
    int ids;  // the pool of instance ids it draws from
};

// Each record of a reply as text, sorted: rotation may order a set differently per query.
using RecordText = std::tuple<int, std::string, std::uint16_t, std::uint32_t, std::vector<std::string>>;

// Without the additional section where the server picks which of many RRsets fit (the
// _S._tcp sets, written in the instance table's order, where AAAA glue takes more room than
// A, and the section ends at the first RRset that does not fit): either choice is right.
std::vector<RecordText> records_of(const Decoded& reply, bool with_additional) {
    std::vector<RecordText> out;
    const auto add = [&](int section, const std::vector<test::Rr>& rrs) {
        for (const test::Rr& r : rrs) out.emplace_back(section, r.owner, r.type, r.ttl, r.rdata);
    };
    add(1, reply.answer());
    add(2, reply.authority());
    if (with_additional) add(3, reply.additional());
    std::sort(out.begin(), out.end());
    return out;
}

class IncrementalRebuildTest : public test::PublisherFixture {
protected:
    std::vector<ServiceShape> services{{"api", 40}, {"big", 400}, {"mixed", 24}};
    std::size_t listed_publications = 0;  // publications that named instances, not whole services

    static std::string id_of(int n) { return "i" + std::to_string(n); }

    registry::InstanceSpec spec(std::mt19937& rng, const ServiceShape& s, int n) {
        const bool v6 = s.name == "mixed" && n % 2 == 1;
        const std::string address = v6 ? "2001:db8::" + std::to_string(n + 1)
                                       : "10.0." + std::to_string(n / 200) + "." + std::to_string(n % 200 + 1);
        registry::InstanceSpec out = test::make_spec(s.name, id_of(n), address,
                                                     static_cast<std::uint16_t>(8000 + rng() % 3),
                                                     1'000 + static_cast<std::int64_t>(rng() % 60'000));
        out.weight = static_cast<std::uint16_t>(rng() % 3);
        return out;
    }

    void random_change(std::mt19937& rng) {
        const ServiceShape& s = services[rng() % services.size()];
        const int n = static_cast<int>(rng() % static_cast<unsigned>(s.ids));
        const registry::Instance* known = reg.find(s.name, id_of(n));
        switch (rng() % 8) {
            case 0:
            case 1:  // a registration, or an update of a known instance
                reg.renew(spec(rng, s, n));
                break;
            case 2:  // a renewal: the same fields again
                if (known) reg.renew(known->spec);
                break;
            case 3: {  // the health check fails or passes
                if (!known) break;
                registry::InstanceSpec changed = known->spec;
                const bool critical = changed.health->critical();
                changed.health = registry::HealthState{
                    critical ? registry::Health::passing : registry::Health::critical, "", 1};
                reg.renew(changed);
                break;
            }
            case 4:
                reg.deregister(s.name, id_of(n));
                break;
            case 5:  // time passes: some leases end
                clock.advance_ms(static_cast<std::int64_t>(rng() % 20'000));
                reg.sweep();
                break;
            case 6:  // a burst: enough changes that the service may be rescanned whole
                for (int i = 0; i < 40; ++i)
                    reg.renew(spec(rng, s, static_cast<int>(rng() % static_cast<unsigned>(s.ids))));
                break;
            default:  // nothing this turn: an empty publication
                break;
        }
    }

    void publish_changes() {
        const registry::ChangedServices changed = reg.take_changed();
        for (const auto& [name, change] : changed)
            if (!change.whole && !change.ids.empty()) ++listed_publications;
        zones.update(reg, changed, false);
    }

    void expect_same_answers(const Snapshot& got, const Snapshot& want, const std::string& name,
                             std::uint16_t qtype, bool same_additional = true) {
        const Decoded a = ask(got, name, qtype);
        const Decoded b = ask(want, name, qtype);
        EXPECT_EQ(a.rcode(), b.rcode()) << name << " type " << qtype;
        EXPECT_EQ(records_of(a, same_additional), records_of(b, same_additional)) << name << " type " << qtype;
    }

    void expect_same_zone(int step) {
        SCOPED_TRACE("after step " + std::to_string(step));
        ZonePublisher whole{test::zone_options("svc", "me")};
        whole.update(reg, {}, true);
        const auto got = zones.current();
        const auto want = whole.current();
        for (const ServiceShape& s : services) {
            const ServiceZone* g = got->services().find(s.name);
            const ServiceZone* w = want->services().find(s.name);
            ASSERT_EQ(g == nullptr, w == nullptr) << s.name;
            if (!g) continue;
            std::vector<std::string_view> got_order;
            std::vector<std::string_view> want_order;
            for (const InstanceRecord* r : g->in_id_order) got_order.push_back(r->id());
            for (const InstanceRecord* r : w->in_id_order) want_order.push_back(r->id());
            ASSERT_EQ(got_order, want_order) << s.name;
            // Kept exactly when the service has 16 served instances or more.
            EXPECT_EQ(g->in_id_order.empty(), g->instances.size() < 16) << s.name;
            EXPECT_EQ(g->instances.size(), w->instances.size()) << s.name;
            for (const PreparedAnswer ServiceZone::*answer : {&ServiceZone::a, &ServiceZone::aaaa, &ServiceZone::srv}) {
                ASSERT_EQ((g->*answer).present(), (w->*answer).present()) << s.name;
                if (!(g->*answer).present()) continue;
                const auto gm = g->store.message(g->*answer);
                const auto wm = w->store.message(w->*answer);
                EXPECT_TRUE(std::equal(gm.begin(), gm.end(), wm.begin(), wm.end())) << s.name;
            }
            EXPECT_EQ(g->tcp_srv_size, w->tcp_srv_size) << s.name;
            EXPECT_EQ(g->enumeration_size, w->enumeration_size) << s.name;

            const std::string service = s.name + ".svc";
            for (const std::uint16_t t : {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA, LDNS_RR_TYPE_SRV})
                expect_same_answers(*got, *want, service, t);
            expect_same_answers(*got, *want, "_" + s.name + "._tcp.svc", LDNS_RR_TYPE_SRV, false);
            expect_same_answers(*got, *want, "_" + s.name + "._tcp.svc", LDNS_RR_TYPE_PTR, false);
            // Every fifth id of the pool (those gone included: NXDOMAIN on both).
            for (int n = step % 5; n < s.ids; n += 5)
                for (const std::uint16_t t : {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA, LDNS_RR_TYPE_TXT})
                    expect_same_answers(*got, *want, id_of(n) + "." + service, t);
        }
    }
};

TEST_F(IncrementalRebuildTest, AnswersAsAWholeRebuildAfterEveryChange) {
    for (const unsigned seed : {1u, 2u, 3u}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        std::mt19937 rng(seed);
        for (int step = 0; step < 150; ++step) {
            const int changes = 1 + static_cast<int>(rng() % 3);
            for (int i = 0; i < changes; ++i) random_change(rng);
            publish_changes();
            expect_same_zone(step);
            if (HasFatalFailure()) return;
        }
    }
    // The property was tested on the path it is about: publications naming single instances.
    EXPECT_GT(listed_publications, 100u);
}

TEST_F(IncrementalRebuildTest, ARegistrationNamesItsInstanceAndABurstTheWholeService) {
    reg.renew(test::make_spec("api", "a", "10.0.0.1", 80));
    reg.take_changed();
    reg.renew(test::make_spec("api", "b", "10.0.0.2", 80));
    reg.deregister("api", "a");
    const registry::ChangedServices one = reg.take_changed();
    ASSERT_EQ(one.size(), 1u);
    EXPECT_FALSE(one.begin()->second.whole);
    EXPECT_EQ(one.begin()->second.ids, (std::vector<std::string>{"b", "a"}));

    // Past 16 + a quarter of the service, a list costs more than a rescan: 40 registrations
    // into a service of 2 cross that line at the 21st.
    for (int i = 0; i < 40; ++i)
        reg.renew(test::make_spec("api", "n" + std::to_string(i), "10.0.1." + std::to_string(i + 1), 80));
    const registry::ChangedServices burst = reg.take_changed();
    ASSERT_EQ(burst.size(), 1u);
    EXPECT_TRUE(burst.begin()->second.whole);
    EXPECT_TRUE(burst.begin()->second.ids.empty());
}

}  // namespace
}  // namespace dnsd::zones
