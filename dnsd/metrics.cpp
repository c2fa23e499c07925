#include "dnsd/metrics.hpp"

#include <algorithm>
#include <stdexcept>

#include "dnsd/metrics_text.hpp"
#include "dnsd/publish_delay_histogram.hpp"
#include "dnsd_version.hpp"
#include "zones/query.hpp"

namespace dnsd {

namespace {

constexpr std::array<std::string_view, 5> kHeartbeatResults = {"created", "updated", "renewed",
                                                               "stale", "rejected"};

// Relaxed: a counter orders nothing; a scrape may see a count a moment old.
void bump(std::atomic<std::uint64_t>& counter) {
    counter.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t read(const std::atomic<std::uint64_t>& counter) {
    return counter.load(std::memory_order_relaxed);
}

std::size_t heartbeat_slot(std::string_view result) {
    for (std::size_t i = 0; i < kHeartbeatResults.size(); ++i)
        if (kHeartbeatResults[i] == result) return i;
    throw std::invalid_argument("unknown heartbeat result '" + std::string(result) + "'");
}

}  // namespace

QtypeBucket qtype_bucket(std::uint16_t qtype) {
    switch (qtype) {
        case 1: return QtypeBucket::a;
        case 2: return QtypeBucket::ns;
        case 6: return QtypeBucket::soa;
        case 12: return QtypeBucket::ptr;
        case 16: return QtypeBucket::txt;
        case 28: return QtypeBucket::aaaa;
        case 33: return QtypeBucket::srv;
        case 255: return QtypeBucket::any;
        default: return QtypeBucket::other;
    }
}

std::string_view qtype_bucket_name(QtypeBucket bucket) {
    static constexpr std::array<std::string_view, kQtypeBuckets> kNames = {
        "A", "AAAA", "SRV", "TXT", "SOA", "NS", "PTR", "ANY", "other"};
    return kNames[static_cast<std::size_t>(bucket)];
}

std::string rcode_name(unsigned rcode) {
    // RFC 1035 and RFC 2136 mnemonics, as dig prints them.
    static constexpr std::array<std::string_view, 11> kNames = {
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
    if (rcode < kNames.size()) return std::string(kNames[rcode]);
    if (rcode == 16) return "BADVERS";  // RFC 6891
    if (rcode == 23) return "BADCOOKIE";  // RFC 7873
    return "RCODE" + std::to_string(rcode);
}

void DnsCounters::count(const zones::AnswerInfo& info, bool over_tcp) {
    count(info.qtype, info.rcode, info.size != 0, info.truncated, over_tcp);
}

void DnsCounters::count(std::uint16_t qtype, std::uint8_t rcode, bool sent, bool truncated_reply,
                        bool over_tcp) {
    bump(queries[static_cast<std::size_t>(qtype_bucket(qtype))]);
    bump(over_tcp ? tcp_queries : udp_queries);
    if (!sent) {
        bump(dropped);
        return;
    }
    bump(responses[std::min<std::size_t>(rcode, kRcodeSlots - 1)]);
    if (truncated_reply) bump(truncated);
}

void DnsCounters::add_to(DnsTotals& totals) const {
    for (std::size_t i = 0; i < queries.size(); ++i) totals.queries[i] += read(queries[i]);
    for (std::size_t i = 0; i < responses.size(); ++i) totals.responses[i] += read(responses[i]);
    totals.udp += read(udp_queries);
    totals.tcp += read(tcp_queries);
    totals.truncated += read(truncated);
    totals.dropped += read(dropped);
}

DnsCounters& Metrics::add_dns_counters() {
    std::lock_guard lock(dns_mutex_);
    dns_.push_back(std::make_unique<DnsCounters>());
    return *dns_.back();
}

DnsTotals Metrics::dns_totals() const {
    DnsTotals totals;
    std::lock_guard lock(dns_mutex_);
    for (const auto& counters : dns_) counters->add_to(totals);
    return totals;
}

void Metrics::heartbeat(std::string_view result) { bump(heartbeats_[heartbeat_slot(result)]); }

void Metrics::heartbeat(registry::RenewResult result) {
    switch (result) {
        case registry::RenewResult::created: return heartbeat("created");
        case registry::RenewResult::updated: return heartbeat("updated");
        case registry::RenewResult::renewed: return heartbeat("renewed");
        case registry::RenewResult::stale: return heartbeat("stale");
    }
}

void Metrics::http_request(unsigned status) {
    if (status < http_.size()) bump(http_[status]);
}

std::uint64_t Metrics::heartbeats(std::string_view result) const {
    return read(heartbeats_[heartbeat_slot(result)]);
}

std::uint64_t Metrics::http_requests(unsigned status) const {
    return status < http_.size() ? read(http_[status]) : 0;
}

std::uint64_t Metrics::zone_file_reloads(bool ok) const {
    return read(ok ? zone_file_reloads_ok_ : zone_file_reloads_error_);
}

std::string Metrics::render(const registry::Registry& registry) const {
    MetricsText out;
    out.family("dnsd_build_info", "gauge", "Always 1; the label carries the dnsd version.");
    out.sample(1, {{"version", kVersion}});

    const DnsTotals dns = dns_totals();
    out.family("dnsd_dns_queries_total", "counter", "DNS queries received, by query type.");
    for (std::size_t i = 0; i < kQtypeBuckets; ++i)
        out.sample(dns.queries[i], {{"qtype", qtype_bucket_name(static_cast<QtypeBucket>(i))}});
    out.family("dnsd_dns_responses_total", "counter", "DNS responses sent, by response code.");
    for (unsigned rcode = 0; rcode < dns.responses.size(); ++rcode) {
        // The common codes always appear, so that rate() has a series before the first error.
        if (rcode > 5 && dns.responses[rcode] == 0) continue;
        out.sample(dns.responses[rcode], {{"rcode", rcode_name(rcode)}});
    }
    out.family("dnsd_dns_transport_queries_total", "counter", "DNS queries received, by transport.");
    out.sample(dns.udp, {{"transport", "udp"}});
    out.sample(dns.tcp, {{"transport", "tcp"}});
    out.family("dnsd_dns_truncated_total", "counter", "UDP responses sent truncated (TC set).");
    out.sample(dns.truncated);
    out.family("dnsd_dns_dropped_total", "counter", "DNS queries answered with silence.");
    out.sample(dns.dropped);

    out.family("dnsd_heartbeats_total", "counter", "Heartbeats taken over HTTP, by result.");
    for (std::size_t i = 0; i < kHeartbeatResults.size(); ++i)
        out.sample(read(heartbeats_[i]), {{"result", kHeartbeatResults[i]}});

    out.family("dnsd_registry_instances", "gauge", "Instances held in the registry.");
    out.sample(registry.instance_count());
    out.family("dnsd_registry_services", "gauge", "Services known to the registry.");
    out.sample(registry.services().size());
    out.family("dnsd_registry_tombstones", "gauge", "Deregistrations remembered.");
    out.sample(registry.tombstones().size());
    out.family("dnsd_registry_index", "gauge", "The registry index: rises with every change.");
    out.sample(registry.index());
    out.family("dnsd_expired_total", "counter", "Instances dropped because their lease ran out.");
    out.sample(registry.expired_total());
    out.family("dnsd_deregistered_total", "counter", "Instances deregistered explicitly.");
    out.sample(registry.deregistered_total());

    out.family("dnsd_snapshot_writes_total", "counter", "cache.json snapshots written.");
    out.sample(read(snapshot_writes_));
    out.family("dnsd_snapshot_write_failures_total", "counter", "cache.json writes that failed.");
    out.sample(read(snapshot_failures_));

    out.family("dnsd_zone_file_reloads_total", "counter",
               "Reloads of --zone-file on SIGHUP, by result (error: the old records stay).");
    out.sample(read(zone_file_reloads_ok_), {{"result", "ok"}});
    out.sample(read(zone_file_reloads_error_), {{"result", "error"}});
    out.family("dnsd_zone_file_records", "gauge", "Static records served from --zone-file.");
    out.sample(read(zone_file_records_));

    out.family("dnsd_http_requests_total", "counter", "HTTP requests answered, by status code.");
    for (unsigned status = 0; status < http_.size(); ++status)
        if (const auto n = read(http_[status]); n != 0)
            out.sample(n, {{"code", std::to_string(status)}});
    if (gossip_source_) render_gossip_metrics(out, gossip_source_());
    if (health_source_) render_health_metrics(out, health_source_());
    std::string text = out.take();
    // A histogram: MetricsText writes counters and gauges only, so it renders itself.
    if (publish_delay_source_) publish_delay_source_->render(text);
    return text;
}

void render_gossip_metrics(MetricsText& out, const GossipMetrics& g) {
    out.family("dnsd_self_preservation_active", "gauge",
               "1 while this node believes it is cut off and keeps expired instances.");
    out.sample(g.self_preservation_active ? 1 : 0);
    out.family("dnsd_self_preservation_activations_total", "counter",
               "Times self-preservation switched on.");
    out.sample(g.self_preservation_activations);

    out.family("dnsd_gossip_rounds_total", "counter", "Gossip rounds run (timer and POST /v1/sync).");
    out.sample(g.rounds);
    out.family("dnsd_gossip_pulls_sent_total", "counter", "Pull requests sent to peers.");
    out.sample(g.pulls_sent);
    out.family("dnsd_gossip_replies_merged_total", "counter", "Pull replies merged, by kind.");
    out.sample(g.replies_merged - std::min(g.full_replies, g.replies_merged), {{"mode", "delta"}});
    out.sample(g.full_replies, {{"mode", "full"}});
    out.family("dnsd_gossip_pushes_sent_total", "counter", "Pushes of news sent to peers.");
    out.sample(g.pushes_sent);
    out.family("dnsd_gossip_entries_received_total", "counter",
               "Instances and tombstones received from peers.");
    out.sample(g.entries_received);
    out.family("dnsd_gossip_entries_news_total", "counter",
               "Received entries that were news here (created, updated, renewed, deleted).");
    out.sample(g.entries_news);
    out.family("dnsd_gossip_peers", "gauge", "Peers known (members, seeds, heard of) and live.");
    out.sample(g.peers_known, {{"state", "known"}});
    out.sample(g.peers_live, {{"state", "live"}});

    out.family("dnsd_gossip_messages_total", "counter", "Gossip messages over HTTP, by direction.");
    out.sample(g.messages_sent, {{"direction", "sent"}});
    out.sample(g.messages_received, {{"direction", "received"}});
    out.family("dnsd_gossip_messages_failed_total", "counter",
               "Gossip requests to peers that failed (connect, timeout, non-2xx, bad reply).");
    out.sample(g.messages_failed);
    out.family("dnsd_gossip_bytes_total", "counter", "Gossip message bodies, by direction.");
    out.sample(g.bytes_sent, {{"direction", "sent"}});
    out.sample(g.bytes_received, {{"direction", "received"}});
    std::uint64_t auth_total = 0;
    for (const auto& [reason, n] : g.auth_failures) auth_total += n;
    out.family("dnsd_gossip_auth_failures_total", "counter",
               "Gossip messages refused for their signature (--gossip-key-file), by reason.");
    if (g.auth_failures.empty()) out.sample(auth_total);
    for (const auto& [reason, n] : g.auth_failures) out.sample(n, {{"reason", reason}});
}

}  // namespace dnsd
