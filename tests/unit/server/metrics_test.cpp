#include "dnsd/metrics.hpp"

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "registry/clock.hpp"
#include "registry/registry.hpp"
#include "zones/query.hpp"

namespace dnsd {
namespace {

// The exposition as a scraper reads it: "name{labels}" -> value, checking the grammar of
// every line on the way (format 0.0.4) and that each sample follows its family's # TYPE.
std::map<std::string, std::uint64_t> parse_exposition(const std::string& text) {
    static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*)");
    static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge))");
    static const std::regex kSample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? ([0-9]+))");
    std::map<std::string, std::uint64_t> samples;
    std::set<std::string> typed;
    std::string family;
    std::istringstream lines(text);
    std::string line;
    std::smatch m;
    while (std::getline(lines, line)) {
        if (std::regex_match(line, m, kHelp)) continue;
        if (std::regex_match(line, m, kType)) {
            family = m[1];
            EXPECT_TRUE(typed.insert(family).second) << "family typed twice: " << family;
            continue;
        }
        if (!std::regex_match(line, m, kSample)) {
            ADD_FAILURE() << "not a valid exposition line: '" << line << "'";
            continue;
        }
        EXPECT_EQ(m[1], family) << "sample outside its family: " << line;
        const std::string key = std::string(m[1]) + std::string(m[2]);
        EXPECT_TRUE(samples.emplace(key, std::stoull(m[4])).second) << "duplicate: " << key;
    }
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    return samples;
}

registry::InstanceSpec metrics_spec(std::string service, std::string id) {
    registry::InstanceSpec s;
    s.service = std::move(service);
    s.id = std::move(id);
    s.address = *registry::IpAddress::parse("10.0.0.1");
    s.port = 80;
    return s;
}

TEST(QtypeBucket, KnownTypesAndOther) {
    EXPECT_EQ(qtype_bucket(1), QtypeBucket::a);
    EXPECT_EQ(qtype_bucket(28), QtypeBucket::aaaa);
    EXPECT_EQ(qtype_bucket(33), QtypeBucket::srv);
    EXPECT_EQ(qtype_bucket(16), QtypeBucket::txt);
    EXPECT_EQ(qtype_bucket(6), QtypeBucket::soa);
    EXPECT_EQ(qtype_bucket(2), QtypeBucket::ns);
    EXPECT_EQ(qtype_bucket(12), QtypeBucket::ptr);
    EXPECT_EQ(qtype_bucket(255), QtypeBucket::any);
    EXPECT_EQ(qtype_bucket(0), QtypeBucket::other);
    EXPECT_EQ(qtype_bucket(15), QtypeBucket::other);  // MX: not served, still counted
    EXPECT_EQ(qtype_bucket_name(QtypeBucket::aaaa), "AAAA");
    EXPECT_EQ(qtype_bucket_name(QtypeBucket::other), "other");
}

TEST(RcodeName, MnemonicsAndNumbers) {
    EXPECT_EQ(rcode_name(0), "NOERROR");
    EXPECT_EQ(rcode_name(3), "NXDOMAIN");
    EXPECT_EQ(rcode_name(5), "REFUSED");
    EXPECT_EQ(rcode_name(16), "BADVERS");
    EXPECT_EQ(rcode_name(12), "RCODE12");
}

TEST(DnsCounters, CountsQueriesResponsesAndTransport) {
    DnsCounters counters;
    counters.count(zones::AnswerInfo{100, 1, 0, false}, false);   // A, NOERROR, UDP
    counters.count(zones::AnswerInfo{40, 28, 3, false}, false);   // AAAA, NXDOMAIN
    counters.count(zones::AnswerInfo{512, 33, 0, true}, false);   // SRV, truncated
    counters.count(zones::AnswerInfo{900, 33, 0, false}, true);   // SRV again over TCP
    counters.count(zones::AnswerInfo{0, 0, 0, false}, false);     // dropped, unreadable
    counters.count(zones::AnswerInfo{40, 1, 16, false}, false);   // BADVERS keeps its own slot

    DnsTotals totals;
    counters.add_to(totals);
    EXPECT_EQ(totals.queries[static_cast<std::size_t>(QtypeBucket::a)], 2u);
    EXPECT_EQ(totals.queries[static_cast<std::size_t>(QtypeBucket::aaaa)], 1u);
    EXPECT_EQ(totals.queries[static_cast<std::size_t>(QtypeBucket::srv)], 2u);
    EXPECT_EQ(totals.queries[static_cast<std::size_t>(QtypeBucket::other)], 1u);
    EXPECT_EQ(totals.responses[0], 3u);
    EXPECT_EQ(totals.responses[3], 1u);
    EXPECT_EQ(totals.responses[16], 1u);
    EXPECT_EQ(totals.udp, 5u);
    EXPECT_EQ(totals.tcp, 1u);
    EXPECT_EQ(totals.truncated, 1u);
    EXPECT_EQ(totals.dropped, 1u);
}

TEST(DnsCounters, EachBlockHasItsOwnCacheLines) {
    EXPECT_EQ(alignof(DnsCounters), 64u);
    EXPECT_EQ(sizeof(DnsCounters) % 64, 0u);
}

TEST(Metrics, WorkersAreSummed) {
    Metrics metrics;
    DnsCounters& one = metrics.add_dns_counters();
    DnsCounters* two = nullptr;
    // Workers register from their own threads.
    std::thread([&] { two = &metrics.add_dns_counters(); }).join();
    ASSERT_NE(two, nullptr);
    EXPECT_NE(&one, two);
    one.count(zones::AnswerInfo{50, 1, 0, false}, false);
    two->count(zones::AnswerInfo{50, 1, 0, false}, true);
    two->count(zones::AnswerInfo{50, 16, 0, false}, false);
    const DnsTotals totals = metrics.dns_totals();
    EXPECT_EQ(totals.queries[static_cast<std::size_t>(QtypeBucket::a)], 2u);
    EXPECT_EQ(totals.queries[static_cast<std::size_t>(QtypeBucket::txt)], 1u);
    EXPECT_EQ(totals.udp, 2u);
    EXPECT_EQ(totals.tcp, 1u);
}

TEST(Metrics, HeartbeatResults) {
    Metrics metrics;
    metrics.heartbeat("created");
    metrics.heartbeat(registry::RenewResult::created);
    metrics.heartbeat(registry::RenewResult::stale);
    metrics.heartbeat("rejected");
    EXPECT_EQ(metrics.heartbeats("created"), 2u);
    EXPECT_EQ(metrics.heartbeats("stale"), 1u);
    EXPECT_EQ(metrics.heartbeats("rejected"), 1u);
    EXPECT_EQ(metrics.heartbeats("renewed"), 0u);
    EXPECT_THROW(metrics.heartbeat("exploded"), std::invalid_argument);
}

TEST(Metrics, HttpStatusCodes) {
    Metrics metrics;
    metrics.http_request(200);
    metrics.http_request(200);
    metrics.http_request(404);
    metrics.http_request(999);  // no such status: ignored rather than out of bounds
    EXPECT_EQ(metrics.http_requests(200), 2u);
    EXPECT_EQ(metrics.http_requests(404), 1u);
    EXPECT_EQ(metrics.http_requests(999), 0u);
}

TEST(Metrics, RenderIsValidExpositionWithEveryRequiredFamily) {
    registry::ManualClock clock;
    registry::Registry registry(clock);
    registry.renew(metrics_spec("api", "one"));
    registry.renew(metrics_spec("api", "two"));
    registry.renew(metrics_spec("web", "one"));
    ASSERT_TRUE(registry.deregister("api", "two"));

    Metrics metrics;
    metrics.add_dns_counters().count(zones::AnswerInfo{80, 33, 0, false}, false);
    metrics.add_dns_counters().count(zones::AnswerInfo{30, 1, 3, false}, true);
    metrics.heartbeat("created");
    metrics.heartbeat("rejected");
    metrics.http_request(200);
    metrics.http_request(413);
    metrics.snapshot_written();
    metrics.snapshot_written();
    metrics.snapshot_failed();

    const auto samples = parse_exposition(metrics.render(registry));
    auto value = [&](const std::string& key) -> std::uint64_t {
        const auto it = samples.find(key);
        if (it == samples.end()) {
            ADD_FAILURE() << "missing sample " << key;
            return 0;
        }
        return it->second;
    };
    EXPECT_EQ(value(R"(dnsd_dns_queries_total{qtype="SRV"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_dns_queries_total{qtype="A"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_dns_queries_total{qtype="PTR"})"), 0u);  // present before use
    EXPECT_EQ(value(R"(dnsd_dns_responses_total{rcode="NOERROR"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_dns_responses_total{rcode="NXDOMAIN"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_dns_responses_total{rcode="SERVFAIL"})"), 0u);
    EXPECT_EQ(samples.count(R"(dnsd_dns_responses_total{rcode="BADVERS"})"), 0u);
    EXPECT_EQ(value(R"(dnsd_dns_transport_queries_total{transport="udp"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_dns_transport_queries_total{transport="tcp"})"), 1u);
    EXPECT_EQ(value("dnsd_dns_truncated_total"), 0u);
    EXPECT_EQ(value("dnsd_dns_dropped_total"), 0u);
    EXPECT_EQ(value(R"(dnsd_heartbeats_total{result="created"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_heartbeats_total{result="rejected"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_heartbeats_total{result="stale"})"), 0u);
    EXPECT_EQ(value("dnsd_registry_instances"), 2u);
    EXPECT_EQ(value("dnsd_registry_services"), 2u);
    EXPECT_EQ(value("dnsd_registry_tombstones"), 1u);
    EXPECT_EQ(value("dnsd_registry_index"), registry.index());
    EXPECT_EQ(value("dnsd_expired_total"), 0u);
    EXPECT_EQ(value("dnsd_deregistered_total"), 1u);
    EXPECT_EQ(value("dnsd_snapshot_writes_total"), 2u);
    EXPECT_EQ(value("dnsd_snapshot_write_failures_total"), 1u);
    EXPECT_EQ(value(R"(dnsd_http_requests_total{code="200"})"), 1u);
    EXPECT_EQ(value(R"(dnsd_http_requests_total{code="413"})"), 1u);
    EXPECT_EQ(samples.count(R"(dnsd_http_requests_total{code="500"})"), 0u);
}

TEST(Metrics, ExpiredInstancesAreCounted) {
    registry::ManualClock clock;
    registry::Registry registry(clock);
    auto s = metrics_spec("api", "one");
    s.ttl_ms = 1'000;
    registry.renew(s);
    clock.advance_ms(1'001);
    registry.sweep();
    const auto samples = parse_exposition(Metrics{}.render(registry));
    EXPECT_EQ(samples.at("dnsd_expired_total"), 1u);
    EXPECT_EQ(samples.at("dnsd_registry_instances"), 0u);
}

TEST(Metrics, ZoneFileReloadsByResultAndRecordsServed) {
    registry::ManualClock clock;
    registry::Registry registry(clock);
    Metrics metrics;
    const auto before = parse_exposition(metrics.render(registry));
    EXPECT_EQ(before.at(R"(dnsd_zone_file_reloads_total{result="ok"})"), 0u) << "present before use";
    EXPECT_EQ(before.at(R"(dnsd_zone_file_reloads_total{result="error"})"), 0u);

    metrics.zone_file_records(4);
    metrics.zone_file_reload(true);
    metrics.zone_file_reload(false);
    metrics.zone_file_reload(false);
    metrics.zone_file_records(7);
    EXPECT_EQ(metrics.zone_file_reloads(true), 1u);
    EXPECT_EQ(metrics.zone_file_reloads(false), 2u);
    const auto after = parse_exposition(metrics.render(registry));
    EXPECT_EQ(after.at(R"(dnsd_zone_file_reloads_total{result="ok"})"), 1u);
    EXPECT_EQ(after.at(R"(dnsd_zone_file_reloads_total{result="error"})"), 2u);
    EXPECT_EQ(after.at("dnsd_zone_file_records"), 7u);
}

TEST(Metrics, GossipFamiliesOnlyWithASource) {
    registry::ManualClock clock;
    registry::Registry registry(clock);
    Metrics metrics;
    EXPECT_EQ(parse_exposition(metrics.render(registry)).count("dnsd_self_preservation_active"), 0u);

    GossipMetrics g;
    g.rounds = 7;
    g.replies_merged = 5;
    g.full_replies = 2;
    g.messages_sent = 11;
    g.messages_received = 9;
    g.messages_failed = 1;
    g.bytes_sent = 1000;
    g.auth_failures = {{"bad_mac", 3}, {"missing", 1}};
    g.self_preservation_active = true;
    g.self_preservation_activations = 2;
    metrics.set_gossip_source([&] { return g; });
    const auto samples = parse_exposition(metrics.render(registry));
    EXPECT_EQ(samples.at("dnsd_self_preservation_active"), 1u);
    EXPECT_EQ(samples.at("dnsd_self_preservation_activations_total"), 2u);
    EXPECT_EQ(samples.at("dnsd_gossip_rounds_total"), 7u);
    EXPECT_EQ(samples.at(R"(dnsd_gossip_replies_merged_total{mode="delta"})"), 3u);
    EXPECT_EQ(samples.at(R"(dnsd_gossip_replies_merged_total{mode="full"})"), 2u);
    EXPECT_EQ(samples.at(R"(dnsd_gossip_messages_total{direction="sent"})"), 11u);
    EXPECT_EQ(samples.at(R"(dnsd_gossip_messages_total{direction="received"})"), 9u);
    EXPECT_EQ(samples.at("dnsd_gossip_messages_failed_total"), 1u);
    EXPECT_EQ(samples.at(R"(dnsd_gossip_bytes_total{direction="sent"})"), 1000u);
    EXPECT_EQ(samples.at(R"(dnsd_gossip_auth_failures_total{reason="bad_mac"})"), 3u);
    EXPECT_EQ(samples.at(R"(dnsd_gossip_auth_failures_total{reason="missing"})"), 1u);

    g.self_preservation_active = false;  // read at every scrape, not once
    EXPECT_EQ(parse_exposition(metrics.render(registry)).at("dnsd_self_preservation_active"), 0u);
}

}  // namespace
}  // namespace dnsd
