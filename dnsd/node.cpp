#include "dnsd/node.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <variant>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "dnsd/gossip_auth.hpp"
#include "dnsd/gossip_http_transport.hpp"
#include "dnsd/health_checker.hpp"
#include "dnsd/health_metrics.hpp"
#include "dnsd/health_probe.hpp"
#include "dnsd/join_resolver.hpp"
#include "dnsd/nginx_upstreams.hpp"
#include "dnsd/snapshot_scheduler.hpp"
#include "dnsd_version.hpp"
#include "registry/gossip_node.hpp"
#include "registry/names.hpp"
#include "registry/snapshot_file.hpp"
#include "zones/zone_file_parser.hpp"

namespace dnsd {

namespace asio = boost::asio;

namespace {

std::int64_t interval_ms(const Config& c) {
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(c.gossip_interval_s * 1000));
}

// This node's own entry in service "dnsd": renewed every round, with a lease that outlasts
// the rounds a renewal may need to reach every peer (pulls, a lost message or two), so a live
// node never flickers out of dnsd.svc, while a dead one drops out like any instance.
std::int64_t self_lease_ms(const Config& c) {
    return std::max<std::int64_t>(15'000, 15 * interval_ms(c));
}

registry::IpAddress self_address(const Config& c) {
    auto ip = registry::IpAddress::parse(c.advertised().host);
    const bool unspecified = ip && std::all_of(ip->data(), ip->data() + ip->size(),
                                               [](std::uint8_t b) { return b == 0; });
    if (ip && !unspecified) return *ip;
    // Listening on a wildcard without --advertise: peers cannot be told a usable address.
    return ip && ip->is_v6() ? *registry::IpAddress::parse("::1") : *registry::IpAddress::parse("127.0.0.1");
}

std::string fmt_join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

zones::StaticZone::Built read_zone_file(const Config& c) {
    // The publisher has checked the apex already, so this cannot fail.
    const auto apex = zones::DnsName::from_text(c.domain);
    if (!apex) throw std::logic_error("--domain '" + c.domain + "' is not a domain name");
    return zones::load_zone_file(*c.zone_file, *apex, static_cast<std::uint32_t>(c.max_ttl_s));
}

}  // namespace

Node::Node(asio::io_context& control, Config config, const registry::Clock& clock)
    : control_(control), config_(std::move(config)), clock_(clock), registry_(clock_),
      zones_(zones::ZoneOptions{.apex = config_.domain,
                                .max_ttl_s = static_cast<std::uint32_t>(config_.max_ttl_s),
                                .node_label = config_.node_label,
                                .version = kVersion,
                                .node_name = config_.node_name}),
      snapshots_(std::make_unique<SnapshotScheduler>(control_, registry_, registry::snapshot_path(config_.data_dir),
                                                     metrics_,
                                                     std::chrono::milliseconds(config_.snapshot_delay_ms))),
      gossip_auth_(std::make_unique<GossipAuth>(
          config_.gossip_key_file ? std::optional<GossipKey>(load_gossip_key(*config_.gossip_key_file))
                                  : std::nullopt,
          clock_)),
      transport_(std::make_unique<GossipHttpTransport>(
          control_, *gossip_auth_,
          [this](registry::GossipMessage reply) { receive_gossip(reply); })),
      health_(std::make_unique<HealthChecker>(control_, registry_, config_.node_label, [this] { commit(); },
                                              run_probe)),
      sweep_timer_(control), round_timer_(control), published_signal_(control) {
    published_signal_.expires_at(asio::steady_timer::time_point::max());
    metrics_.set_gossip_source([this] { return gossip_metrics(); });
    metrics_.set_health_source([this] { return health_metrics(*health_, registry_); });
    metrics_.set_publish_delay_source(&publish_delay_);
}

Node::~Node() = default;

void Node::start() {
    // First, so that a bad file stops dnsd before anything is loaded or written.
    if (config_.zone_file) {
        auto loaded = read_zone_file(config_);
        if (const auto* error = std::get_if<zones::ZoneFileError>(&loaded))
            throw ZoneFileRefused(error->message(*config_.zone_file));
        static_zone_ = std::get<std::shared_ptr<const zones::StaticZone>>(std::move(loaded));
        zones_.set_static_zone(static_zone_);
        metrics_.zone_file_records(static_zone_->record_count());
        spdlog::info("loaded {} records from {}", static_zone_->record_count(), config_.zone_file->string());
    }
    const auto report = registry::load_snapshot(registry::snapshot_path(config_.data_dir), registry_);
    if (report.status == registry::LoadStatus::corrupt && report.move_error)
        // Starting would overwrite the only copy with an empty registry: refuse instead.
        throw std::runtime_error(report.summary() + "; refusing to start until it is moved away");
    if (report.status == registry::LoadStatus::corrupt)
        spdlog::error("{}", report.summary());
    else
        spdlog::info("{}", report.summary());
    gossip_ = std::make_unique<registry::GossipNode>(registry_, *transport_, gossip_options());
    // Literal --join addresses become seeds now, before the first pull; names when resolved.
    joins_ = std::make_unique<JoinResolver>(control_, config_.join, [this](const std::string& address) {
        if (!leaving_) gossip_->add_seed(address);
    });
    joins_->start();
    gossip_->start();
    zones_.update(registry_, registry_.take_changed(), true);
    nginx_ = NginxUpstreams::from_config(control_, config_, clock_);
    if (nginx_) nginx_->start(registry_);
    committed_index_ = registry_.index();
    publish_gate_.published(committed_index_, std::chrono::steady_clock::now());
    published_leases_ = registry_.lease_version();
    health_->start();
    schedule_sweep();
    schedule_round();
    if (!config_.join.empty())
        spdlog::info("gossip every {} ms as {} (incarnation {}), joining {}", interval_ms(config_),
                     gossip_->address(), gossip_->incarnation(), fmt_join(config_.join));
}

registry::GossipOptions Node::gossip_options() const {
    registry::GossipOptions o;
    o.self.service = std::string(registry::kNodeService);
    o.self.id = config_.node_label;
    o.self.address = self_address(config_);
    o.self.port = config_.advertised().port;
    o.self.ttl_ms = self_lease_ms(config_);
    o.self.node = config_.node_label;
    o.interval_ms = interval_ms(config_);
    // Held instances must stay in DNS from one sweep (at least one per round) to the next.
    o.self_preservation.serve_grace_ms = std::max<std::int64_t>(5'000, 2 * o.interval_ms);
    // Self-preservation's story is "I lost my peers, not the services died". A node started
    // without --join has no peers to lose, and alone it could only resume through renewals,
    // so there an expired lease simply expires, as in a single-node dnsd.
    o.self_preservation.enabled = !config_.join.empty() && config_.self_preservation_percent > 0;
    o.self_preservation.max_evict_share = static_cast<double>(config_.self_preservation_percent) / 100.0;
    return o;
}

void Node::schedule_round() {
    round_timer_.expires_after(std::chrono::milliseconds(interval_ms(config_)));
    round_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || leaving_) return;
        // This node's own renewal each round is not worth a cache.json write (a restart
        // registers the node anew); counted as news, it rewrote the whole file of an idle
        // node every few seconds. Other renewals and every change still are.
        const bool nothing_pending = registry_.lease_version() == published_leases_;
        gossip_->tick();
        if (nothing_pending && registry_.lease_version() == published_leases_ + 1)
            published_leases_ = registry_.lease_version();
        commit();
        schedule_round();
    });
}

std::optional<registry::GossipMessage> Node::receive_gossip(const registry::GossipMessage& message) {
    if (!gossip_) return std::nullopt;  // not started: a peer's early pull goes unanswered
    ++gossip_received_;
    auto reply = gossip_->receive(message);
    commit();
    return reply;
}

bool Node::leave() {
    if (!gossip_ || leaving_) return false;
    leaving_ = true;
    round_timer_.cancel();
    joins_->stop();
    gossip_->leave();
    commit();
    return gossip_->peers().size() > 0;
}

std::size_t Node::gossip_in_flight() const { return transport_->in_flight(); }

void Node::stop() {
    // Replies held for a publication go out with it (before the hooks it feeds stop); none
    // is held after this.
    if (publish_gate_.due()) publish();
    leaving_ = true;
    sweep_timer_.cancel();
    round_timer_.cancel();
    if (joins_) joins_->stop();
    transport_->stop();
    snapshots_->cancel();
    health_->stop();
    if (nginx_) nginx_->stop();
    stopped_ = true;
    for (auto* w : waiters_) w->cancel();
    published_signal_.cancel();
    if (snapshots_->write_now())
        spdlog::info("registry snapshot written ({} instances)", registry_.instance_count());
}

void Node::commit() {
    const bool index_moved = registry_.index() != committed_index_;
    const bool leases_moved = registry_.lease_version() != published_leases_;
    if (index_moved) {
        committed_index_ = registry_.index();
        // The first change of this turn posts the publication; it runs after the handlers
        // already queued in this turn (the other heartbeats read from the same poll), so a
        // burst of changes costs one zone build, not one each.
        if (publish_gate_.changed(committed_index_, std::chrono::steady_clock::now()))
            asio::post(control_, [this] { publish(); });
    }
    if (index_moved || leases_moved) {
        published_leases_ = registry_.lease_version();
        snapshots_->changed(/*leases_only=*/!index_moved);
        // next_deadline() walks every tombstone and every empty service, too much for each
        // heartbeat. A renewal (only leases moved) pushes its instance's deadline later,
        // never earlier, so an armed sweep still comes in time; re-arm only after a change.
        if (index_moved || sweep_timer_.expiry() <= std::chrono::steady_clock::now())
            schedule_sweep();
        // Local news (a heartbeat, a deregistration) goes to a few peers at once; a no-op
        // when it came from gossip itself, which pushes what it merged on its own.
        if (gossip_) gossip_->flush();
    }
}

void Node::publish() {
    if (!publish_gate_.due()) return;  // stop() published already
    const auto changed = registry_.take_changed();
    if (!stopped_) {
        health_->changed(changed);  // new checks of this node's instances; dropped ones
        zones_.update(registry_, changed, false);
        if (nginx_) nginx_->changed(registry_, changed.names());  // upstream files, then a debounced reload
    }
    if (const auto waited = publish_gate_.published(registry_.index(), std::chrono::steady_clock::now()))
        publish_delay_.observe(*waited);
    // The replies held for this publication, and every blocking query (each re-checks the
    // index it waits on).
    published_signal_.cancel();
    for (auto* w : waiters_) w->cancel();
}

asio::awaitable<void> Node::wait_published(std::uint64_t index) {
    while (!publish_gate_.visible(index) && !stopped_) {
        boost::system::error_code ec;
        co_await published_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        // A publication wakes us with operation_aborted too: tell it from the session's own
        // cancellation (server stop), which must end the coroutine instead of waiting again.
        const auto state = co_await asio::this_coro::cancellation_state;
        if (state.cancelled() != asio::cancellation_type::none)
            throw boost::system::system_error(asio::error::operation_aborted);
    }
}

asio::awaitable<void> Node::wait_for_change(std::uint64_t after, std::chrono::milliseconds max_wait) {
    if (registry_.index() > after || max_wait.count() <= 0) co_return;
    asio::steady_timer timer(control_);
    timer.expires_after(max_wait);
    // Unlisted however the wait ends: woken, timed out, or the coroutine destroyed.
    struct Listed {
        std::list<asio::steady_timer*>& list;
        std::list<asio::steady_timer*>::iterator self;
        ~Listed() { list.erase(self); }
    } listed{waiters_, waiters_.insert(waiters_.end(), &timer)};
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void Node::sync_now() {
    if (!gossip_ || leaving_) return;
    gossip_->tick();
    commit();
    health_->probe_all();
}

StatusFields Node::status_fields() {
    StatusFields fields{config_.node_name, clock_.wall_ms() / 1000, registry_.index(), {}};
    if (!gossip_) {
        // Not started (tests drive a bare Node): the live "dnsd" instances are the peers.
        static std::mt19937_64 rng{std::random_device{}()};
        fields.peers = sample_third(live_peers(registry_, config_.node_label, clock_.mono_ms()), rng);
        return fields;
    }
    fields.peers = gossip_->status_peers();
    fields.incarnation = gossip_->incarnation();
    const auto& state = gossip_->self_preservation().state();
    SelfPreservationStatus preservation;
    preservation.active = state.active;
    if (state.active) preservation.since_unix_s = state.since_wall_ms / 1000;
    preservation.reason = state.active ? state.reason : "";
    fields.self_preservation = std::move(preservation);
    return fields;
}

GossipMetrics Node::gossip_metrics() const {
    GossipMetrics m;
    if (gossip_) {
        static_cast<registry::GossipStats&>(m) = gossip_->stats();
        m.peers_known = gossip_->peers().size();
        m.peers_live = gossip_->peers().live(registry_, clock_.mono_ms()).size();
        m.self_preservation_active = gossip_->self_preservation().state().active;
        m.self_preservation_activations = gossip_->self_preservation().activations_total();
    }
    const auto& t = transport_->stats();
    m.messages_sent = t.sent;
    m.messages_received = gossip_received_;
    m.messages_failed = t.failed + t.dropped_busy;
    m.bytes_sent = t.bytes_sent;
    m.bytes_received = t.bytes_received;
    const auto& a = gossip_auth_->counters();
    for (auto reason : {GossipAuthFailure::missing, GossipAuthFailure::malformed, GossipAuthFailure::bad_mac,
                        GossipAuthFailure::replayed, GossipAuthFailure::wrong_reply}) {
        const std::uint64_t n = reason == GossipAuthFailure::missing     ? a.missing
                                : reason == GossipAuthFailure::malformed ? a.malformed
                                : reason == GossipAuthFailure::bad_mac   ? a.bad_mac
                                : reason == GossipAuthFailure::replayed  ? a.replayed
                                                                         : a.wrong_reply;
        m.auth_failures.emplace_back(std::string(to_string(reason)), n);
    }
    return m;
}

bool Node::reload_zone_file() {
    if (!config_.zone_file) {
        spdlog::info("SIGHUP: no --zone-file to reload; the registry is unchanged");
        return false;
    }
    const std::string file = config_.zone_file->string();
    auto loaded = read_zone_file(config_);
    if (const auto* error = std::get_if<zones::ZoneFileError>(&loaded)) {
        metrics_.zone_file_reload(false);
        spdlog::error("SIGHUP: {}; still serving the {} records loaded before",
                      error->message(*config_.zone_file), static_zone_ ? static_zone_->record_count() : 0);
        return false;
    }
    static_zone_ = std::get<std::shared_ptr<const zones::StaticZone>>(std::move(loaded));
    zones_.set_static_zone(static_zone_);  // publishes a new snapshot; the registry's part is shared
    metrics_.zone_file_reload(true);
    metrics_.zone_file_records(static_zone_->record_count());
    spdlog::info("reloaded {} records from {}", static_zone_->record_count(), file);
    return true;
}

void Node::schedule_sweep() {
    const auto next = registry_.next_deadline();
    if (!next) return;
    const auto delay = std::max<std::int64_t>(0, *next - clock_.mono_ms());
    sweep_timer_.expires_after(std::chrono::milliseconds(delay));
    sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;  // rescheduled or stopped
        // Through self-preservation: a node cut off from its peers keeps what it would evict.
        const std::size_t expired = gossip_ ? gossip_->sweep() : registry_.sweep();
        if (expired) spdlog::debug("{} instance(s) expired", expired);
        commit();
        schedule_sweep();
    });
}

}  // namespace dnsd
