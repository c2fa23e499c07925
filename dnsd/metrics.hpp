#pragma once
// What /metrics reports. DNS workers count into their own cache-line-aligned blocks (no shared
// line, no lock on the query path); the control thread counts HTTP and registry events; render()
// sums everything into the Prometheus text format when scraped.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registry/gossip_stats.hpp"
#include "registry/registry.hpp"

namespace dnsd::zones {
struct AnswerInfo;
}

namespace dnsd {

class PublishDelayHistogram;  // publish_delay_histogram.hpp

// The query types /metrics tells apart; everything else is "other".
enum class QtypeBucket : std::size_t { a, aaaa, srv, txt, soa, ns, ptr, any, other };
inline constexpr std::size_t kQtypeBuckets = 9;
QtypeBucket qtype_bucket(std::uint16_t qtype);
std::string_view qtype_bucket_name(QtypeBucket bucket);
// Response codes counted one by one: the header's 4 bits and EDNS's BADVERS (16) up to
// BADCOOKIE (23); anything higher is counted as 31.
inline constexpr std::size_t kRcodeSlots = 32;
// "NOERROR", "NXDOMAIN", "BADVERS", ...; "RCODE12" for codes without a mnemonic.
std::string rcode_name(unsigned rcode);

// Plain sums of every worker's counters, for render() and tests.
struct DnsTotals {
    std::array<std::uint64_t, kQtypeBuckets> queries{};
    std::array<std::uint64_t, kRcodeSlots> responses{};  // by rcode
    std::uint64_t udp = 0;
    std::uint64_t tcp = 0;
    std::uint64_t truncated = 0;
    std::uint64_t dropped = 0;  // queries answered with silence (size 0)
};

// One per DNS worker thread: aligned so two workers never write the same cache line.
struct alignas(64) DnsCounters {
    void count(const zones::AnswerInfo& info, bool over_tcp);
    // The same, from the fields of AnswerInfo; `sent` is false when nothing was sent.
    void count(std::uint16_t qtype, std::uint8_t rcode, bool sent, bool truncated_reply,
               bool over_tcp);
    void add_to(DnsTotals& totals) const;

    std::array<std::atomic<std::uint64_t>, kQtypeBuckets> queries{};
    std::array<std::atomic<std::uint64_t>, kRcodeSlots> responses{};
    std::atomic<std::uint64_t> udp_queries{0};
    std::atomic<std::uint64_t> tcp_queries{0};
    std::atomic<std::uint64_t> truncated{0};
    std::atomic<std::uint64_t> dropped{0};
};

// The cluster's side of /metrics, read from the gossip state machine and its transport when
// scraped (control thread). Plain numbers, so Metrics needs nothing of the gossip code but
// its counters' definition.
struct GossipMetrics : registry::GossipStats {
    std::uint64_t peers_known = 0;
    std::uint64_t peers_live = 0;
    // Transport: HTTP exchanges with peers.
    std::uint64_t messages_sent = 0;
    std::uint64_t messages_received = 0;
    std::uint64_t messages_failed = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
    // Refused for their signature (--gossip-key-file), by reason ("missing", "bad_mac", ...).
    std::vector<std::pair<std::string, std::uint64_t>> auth_failures;
    bool self_preservation_active = false;
    std::uint64_t self_preservation_activations = 0;
};

// The third-party health checks' side of /metrics (health_metrics.hpp fills it when scraped).
struct HealthMetrics {
    std::uint64_t checks = 0;         // checks this node runs
    std::uint64_t probes = 0;         // probes ended since start
    std::uint64_t probes_failed = 0;  // of which critical
    std::uint64_t critical = 0;       // instances in the registry marked critical (any node's)
};

class Metrics {
public:
    Metrics() = default;
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // Any thread, once per worker at its start; the reference stays valid as long as Metrics.
    DnsCounters& add_dns_counters();
    DnsTotals dns_totals() const;

    // "created", "updated", "renewed", "stale" or "rejected"; any other name is a programmer
    // error (std::invalid_argument).
    void heartbeat(std::string_view result);
    void heartbeat(registry::RenewResult result);
    void http_request(unsigned status);
    void snapshot_written() { snapshot_writes_.fetch_add(1, std::memory_order_relaxed); }
    void snapshot_failed() { snapshot_failures_.fetch_add(1, std::memory_order_relaxed); }
    // SIGHUP reloads of --zone-file, by outcome, and the records it currently gives.
    void zone_file_reload(bool ok) {
        (ok ? zone_file_reloads_ok_ : zone_file_reloads_error_).fetch_add(1, std::memory_order_relaxed);
    }
    void zone_file_records(std::size_t records) {
        zone_file_records_.store(records, std::memory_order_relaxed);
    }

    std::uint64_t heartbeats(std::string_view result) const;
    std::uint64_t http_requests(unsigned status) const;
    std::uint64_t zone_file_reloads(bool ok) const;

    // Where render() reads the gossip numbers from; unset: none are rendered. Control thread.
    void set_gossip_source(std::function<GossipMetrics()> source) { gossip_source_ = std::move(source); }
    void set_health_source(std::function<HealthMetrics()> source) { health_source_ = std::move(source); }
    // dnsd_publish_delay_seconds, kept by the node that publishes; null: not rendered.
    void set_publish_delay_source(const PublishDelayHistogram* source) { publish_delay_source_ = source; }

    // The Prometheus text exposition format 0.0.4 (Content-Type text/plain; version=0.0.4).
    std::string render(const registry::Registry& registry) const;

private:
    mutable std::mutex dns_mutex_;  // guards the list only, never a count
    std::vector<std::unique_ptr<DnsCounters>> dns_;
    std::array<std::atomic<std::uint64_t>, 5> heartbeats_{};
    std::array<std::atomic<std::uint64_t>, 600> http_{};  // by status code, 0..599
    std::atomic<std::uint64_t> snapshot_writes_{0};
    std::atomic<std::uint64_t> snapshot_failures_{0};
    std::atomic<std::uint64_t> zone_file_reloads_ok_{0};
    std::atomic<std::uint64_t> zone_file_reloads_error_{0};
    std::atomic<std::uint64_t> zone_file_records_{0};
    std::function<GossipMetrics()> gossip_source_;
    std::function<HealthMetrics()> health_source_;
    const PublishDelayHistogram* publish_delay_source_ = nullptr;
};

// Appends the dnsd_gossip_* and dnsd_self_preservation_* families.
class MetricsText;
void render_gossip_metrics(MetricsText& out, const GossipMetrics& gossip);
// Appends the dnsd_health_* families (health_metrics.cpp).
void render_health_metrics(MetricsText& out, const HealthMetrics& health);

}  // namespace dnsd
