// The differential test of issue 3: dnsd and Knot DNS (Debian's knotd) serve the same data,
// dnsd from its registry, Knot from a zone file the test writes from the registry as read back
// over HTTP; the same queries go to both and the replies must agree, except where SPEC.md
// deliberately differs (comparison.hpp lists those, with the reason for each).
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

// The harness (gtest, gmock) before anything with ldns.h, whose true/false macros upset gmock.
#include "harness.hpp"

#include "comparison.hpp"
#include "knot_server.hpp"
#include "query_corpus.hpp"
#include "reply_view.hpp"
#include "zone_model.hpp"

namespace dnsd::diff {
namespace {

using namespace std::chrono_literals;

constexpr int max_ttl_s = 5;
constexpr int big_service_size = 100;  // 100 A records (1600+ bytes) cannot fit in 1232

// Every instance lives much longer than the test, so no lease ends while it runs.
const char* const registrations = R"([
  {"service": "api", "id": "api-1", "address": "10.0.0.1", "port": 8861, "ttl": 600,
   "version": "1.2.3", "weight": 10, "priority": 0, "meta": {"zone": "a"}},
  {"service": "api", "id": "api-2", "address": "10.0.0.2", "port": 8861, "ttl": 600,
   "version": "1.2.4", "weight": 20, "priority": 1, "meta": {"zone": "b", "tier": "gold"}},
  {"service": "api", "id": "api-3", "address": "fd00::3", "port": 8862, "ttl": 600},
  {"service": "v6only", "id": "v6-a", "address": "fd00::10", "port": 443, "ttl": 600,
   "version": "2.0"},
  {"service": "v6only", "id": "v6-b", "address": "2001:db8::11", "port": 443, "ttl": 600},
  {"service": "web", "id": "web-1", "address": "192.0.2.10", "port": 80, "ttl": 600,
   "meta": {"team": "a b", "quote": "say \"hi\""}},
  {"service": "gone", "id": "gone-1", "address": "10.9.0.1", "port": 9, "ttl": 600},
  {"service": "gone", "id": "gone-2", "address": "fd00::9", "port": 9, "ttl": 600}
])";

std::string big_service_registrations() {
    std::ostringstream body;
    body << "[";
    for (int i = 0; i < big_service_size; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "big-%03d", i);
        body << (i ? "," : "") << R"({"service": "big", "id": ")" << id
             << R"(", "address": "10.1.)" << i / 250 << "." << i % 250 + 1
             << R"(", "port": 7000, "ttl": 600})";
    }
    body << "]";
    return body.str();
}

// One dnsd and one knotd for all tests of the binary: built once, stopped after the last test.
struct World {
    std::unique_ptr<e2e::DnsdProcess> dnsd;
    std::unique_ptr<KnotServer> knot;
    ZoneModel model;
    std::string zone;
    std::string failure;  // why the world could not be built; every test fails with it

    std::string build();
};

std::string World::build() {
    const auto knotd = find_knotd();
    if (!knotd)
        return "knotd (Debian package `knot`) is not installed, or $KNOTD does not name it: the "
               "differential test needs it. Install it with scripts/install-deps.sh --test.";
    e2e::DnsdOptions options;
    options.max_ttl_s = max_ttl_s;
    options.log_level = "info";
    dnsd = std::make_unique<e2e::DnsdProcess>(options);
    if (!dnsd->started()) return "dnsd did not start: " + dnsd->start_failure();

    for (const std::string& body : {std::string(registrations), big_service_registrations()}) {
        const e2e::HttpResponse r = e2e::heartbeat(*dnsd, body);
        if (r.status != 200) return "heartbeat failed: " + std::to_string(r.status) + " " + r.body;
    }
    for (const char* id : {"gone-1", "gone-2"}) {
        const e2e::HttpResponse r = e2e::http_delete(dnsd->http_port(), std::string("/v1/instances/gone/") + id);
        if (r.status != 200) return "deregistering gone/" + std::string(id) + " failed: " + r.body;
    }
    // dnsd registers itself (service "dnsd"); its NS and SOA come from that.
    const bool self_registered = e2e::eventually([&] {
        const auto nodes = e2e::get_json(*dnsd, "/v1/services/dnsd");
        const auto* list = nodes.is_object() ? nodes.as_object().if_contains("instances") : nullptr;
        return list != nullptr && list->is_array() && !list->as_array().empty();
    }, 5s);
    if (!self_registered) return "dnsd did not register itself as service dnsd within 5 s";

    // Read the registry back as a user would, and write it as a zone for Knot.
    const boost::json::value list = e2e::get_json(*dnsd, "/v1/services");
    const auto* services = list.is_object() ? list.as_object().if_contains("services") : nullptr;
    if (services == nullptr || !services->is_object()) return "GET /v1/services has no services";
    std::map<std::string, boost::json::value> details;
    for (const auto& entry : services->as_object())
        details[std::string(entry.key())] = e2e::get_json(*dnsd, "/v1/services/" + std::string(entry.key()));
    model.ttl = max_ttl_s;
    model.node_name = options.node_name;
    if (std::string error = read_model(list, details, model); !error.empty()) return error;
    zone = zone_file(model);

    knot = std::make_unique<KnotServer>(*knotd, model.apex, zone, e2e::pick_free_port());
    if (!knot->started()) return "knotd did not start: " + knot->start_failure() + "\nzone:\n" + zone;
    return {};
}

World* world = nullptr;

class DiffKnotTest : public ::testing::Test {
protected:
    static void TearDownTestSuite() {
        delete world;
        world = nullptr;
    }
    void SetUp() override {
        if (world == nullptr) {
            world = new World;
            world->failure = world->build();
        }
        ASSERT_TRUE(world->failure.empty()) << world->failure;
    }
    std::uint16_t dnsd_port() const { return world->dnsd->dns_port(); }
    std::uint16_t knot_port() const { return world->knot->port(); }

    ReplyView ask(std::uint16_t port, const Query& q) const {
        return view_of(e2e::dns_query(port, q.question()));
    }

    bool known_but_empty(const std::string& name) const {
        const std::string n = lower(name);
        for (const ModelService& s : world->model.services) {
            if (!s.instances.empty()) continue;
            if (n == s.name + "." + world->model.apex + "." ||
                n == "_" + s.name + "._tcp." + world->model.apex + ".")
                return true;
        }
        return false;
    }

    // Everything Knot holds at `name`, for judging ANY answers and additional extras.
    const RecordSet& knot_records_at(const std::string& name) {
        const std::string key = lower(name);
        auto it = name_records_.find(key);
        if (it != name_records_.end()) return it->second;
        RecordSet all;
        for (ldns_rr_type type : corpus_types()) {
            if (type == LDNS_RR_TYPE_ANY) continue;
            for (const std::string& r : ask(knot_port(), {key, type, e2e::Transport::tcp, 1232}).answer)
                all.insert(r);  // asked in lower case: the owner comes back so
        }
        return name_records_[key] = std::move(all);
    }

    const RecordSet& apex_soa() {
        if (apex_soa_.empty())
            apex_soa_ = ask(knot_port(), {world->model.apex + ".", LDNS_RR_TYPE_SOA,
                                          e2e::Transport::tcp, std::nullopt}).answer;
        return apex_soa_;
    }

    // Sends `q` to both and compares; a truncated UDP reply brings the TCP retry along.
    std::vector<std::string> check(const Query& q) {
        const ReplyView d = ask(dnsd_port(), q);
        const ReplyView k = ask(knot_port(), q);
        Expectations expect;
        expect.zone_has = [this](const std::string& record) {
            return knot_records_at(record.substr(0, record.find(' '))).contains(record);
        };
        if (known_but_empty(q.name)) {
            expect.rule = Rule::spec_known_empty;
            expect.apex_soa = apex_soa();
        } else if (q.type == LDNS_RR_TYPE_ANY) {
            expect.rule = Rule::any_minimal;
            expect.name_records = knot_records_at(q.name);
        }
        std::vector<std::string> diffs;
        if ((d.tc || k.tc) && expect.rule == Rule::identical) {
            Query over_tcp = q;
            over_tcp.transport = e2e::Transport::tcp;
            const ReplyView dt = ask(dnsd_port(), over_tcp);
            const ReplyView kt = ask(knot_port(), over_tcp);
            expect.whole_answer = kt.answer;
            Expectations whole;
            whole.zone_has = expect.zone_has;
            diffs = compare(over_tcp, dt, kt, whole);
            if (!dt.ok || dt.tc || dt.answer.empty())
                diffs.push_back(over_tcp.describe() + ": the TCP retry of a truncated answer "
                                "should be whole, dnsd gave:\n" + dt.text);
        }
        for (std::string& line : compare(q, d, k, expect)) diffs.push_back(std::move(line));
        if (!diffs.empty()) diffs.push_back("    dnsd:\n" + d.text + "\n    knot:\n" + k.text);
        ++checked_;
        return diffs;
    }

    static std::string report(const std::vector<std::string>& diffs, std::size_t checked) {
        std::string out = std::to_string(checked) + " queries checked, disagreements:\n";
        for (const std::string& line : diffs) out += "  " + line + "\n";
        return out;
    }

    std::size_t checked_ = 0;
    std::map<std::string, RecordSet> name_records_;
    RecordSet apex_soa_;
};

TEST_F(DiffKnotTest, TheZoneHoldsEveryKindOfDataTheCorpusNeeds) {
    const ZoneModel& m = world->model;
    ASSERT_NE(m.find("api"), nullptr) << world->zone;
    EXPECT_EQ(m.find("api")->instances.size(), 3u);
    ASSERT_NE(m.find("gone"), nullptr) << "the deregistered service should still be known";
    EXPECT_TRUE(m.find("gone")->instances.empty());
    ASSERT_NE(m.find("big"), nullptr);
    EXPECT_EQ(m.find("big")->instances.size(), static_cast<std::size_t>(big_service_size));
    ASSERT_NE(m.find("dnsd"), nullptr);
    EXPECT_FALSE(m.find("dnsd")->instances.empty());
    EXPECT_GT(m.serial, 0u);
}

TEST_F(DiffKnotTest, EveryUdpQueryOfTheCorpusGetsTheSameAnswer) {
    std::vector<std::string> diffs;
    for (const Query& q : udp_corpus(world->model))
        for (std::string& line : check(q)) diffs.push_back(std::move(line));
    EXPECT_TRUE(diffs.empty()) << report(diffs, checked_);
    EXPECT_GT(checked_, 1000u);
}

TEST_F(DiffKnotTest, EveryTcpQueryOfTheCorpusGetsTheSameAnswer) {
    std::vector<std::string> diffs;
    for (const std::string& name : corpus_names(world->model))
        for (ldns_rr_type type : corpus_types())
            for (const auto& edns : {std::optional<std::uint16_t>{}, std::optional<std::uint16_t>{1232}})
                for (std::string& line : check({name, type, e2e::Transport::tcp, edns}))
                    diffs.push_back(std::move(line));
    EXPECT_TRUE(diffs.empty()) << report(diffs, checked_);
}

TEST_F(DiffKnotTest, ABigAnswerTruncatesOverUdpAndComesWholeOverTcp) {
    const std::string big = "big." + world->model.apex + ".";
    for (const auto& edns : {std::optional<std::uint16_t>{}, std::optional<std::uint16_t>{1232}}) {
        const Query udp{big, LDNS_RR_TYPE_A, e2e::Transport::udp, edns};
        const ReplyView d = ask(dnsd_port(), udp);
        const ReplyView k = ask(knot_port(), udp);
        EXPECT_TRUE(d.tc) << udp.describe() << "\n" << d.text;
        EXPECT_TRUE(k.tc) << udp.describe() << "\n" << k.text;

        const Query tcp{big, LDNS_RR_TYPE_A, e2e::Transport::tcp, edns};
        const ReplyView dt = ask(dnsd_port(), tcp);
        const ReplyView kt = ask(knot_port(), tcp);
        EXPECT_FALSE(dt.tc);
        EXPECT_EQ(dt.answer.size(), static_cast<std::size_t>(big_service_size));
        EXPECT_EQ(dt.answer, kt.answer);
    }
}

// The deliberate difference, shown: Knot cannot serve a name without records, dnsd must.
TEST_F(DiffKnotTest, AKnownServiceWithoutInstancesIsNodataInDnsdWhereKnotSaysNxdomain) {
    for (const std::string name : {"gone.", "_gone._tcp."}) {
        const Query q{name + world->model.apex + ".", LDNS_RR_TYPE_A, e2e::Transport::udp, 1232};
        const ReplyView d = ask(dnsd_port(), q);
        const ReplyView k = ask(knot_port(), q);
        EXPECT_EQ(k.rcode, LDNS_RCODE_NXDOMAIN) << k.text;
        EXPECT_EQ(d.rcode, LDNS_RCODE_NOERROR) << d.text;
        EXPECT_TRUE(d.aa);
        EXPECT_TRUE(d.answer.empty()) << d.text;
        EXPECT_EQ(d.authority, k.authority) << "both carry the apex SOA";
    }
}

}  // namespace
}  // namespace dnsd::diff
