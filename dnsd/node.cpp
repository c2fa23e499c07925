#include "dnsd/node.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <variant>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "dnsd/snapshot_scheduler.hpp"
#include "dnsd_version.hpp"
#include "registry/names.hpp"
#include "registry/snapshot_file.hpp"
#include "zones/zone_file_parser.hpp"

namespace dnsd {

namespace asio = boost::asio;

namespace {

// This node's own entry in service "dnsd": renewed every gossip interval, with a lease long
// enough to survive a few missed rounds, so a dead node drops out like any instance.
std::int64_t self_lease_ms(const Config& c) {
    return std::max<std::int64_t>(10'000, static_cast<std::int64_t>(c.gossip_interval_s * 3000));
}

registry::IpAddress self_address(const Config& c) {
    auto ip = registry::IpAddress::parse(c.advertised().host);
    const bool unspecified = ip && std::all_of(ip->data(), ip->data() + ip->size(),
                                               [](std::uint8_t b) { return b == 0; });
    if (ip && !unspecified) return *ip;
    // Listening on a wildcard without --advertise: peers cannot be told a usable address.
    return ip && ip->is_v6() ? *registry::IpAddress::parse("::1") : *registry::IpAddress::parse("127.0.0.1");
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
      sweep_timer_(control), self_timer_(control) {}

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
    renew_self();
    zones_.update(registry_, registry_.take_changed(), true);
    published_index_ = registry_.index();
    published_leases_ = registry_.lease_version();
    schedule_sweep();
}

void Node::stop() {
    sweep_timer_.cancel();
    self_timer_.cancel();
    snapshots_->cancel();
    for (auto* w : waiters_) w->cancel();
    if (snapshots_->write_now())
        spdlog::info("registry snapshot written ({} instances)", registry_.instance_count());
}

void Node::commit() {
    const bool index_moved = registry_.index() != published_index_;
    const bool leases_moved = registry_.lease_version() != published_leases_;
    if (index_moved) {
        zones_.update(registry_, registry_.take_changed(), false);
        published_index_ = registry_.index();
        // Wake every blocking query; each re-checks the index it waits on.
        for (auto* w : waiters_) w->cancel();
    }
    if (index_moved || leases_moved) {
        published_leases_ = registry_.lease_version();
        snapshots_->changed();
        schedule_sweep();
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
    registry_.sweep();
    renew_self();
    commit();
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

void Node::renew_self() {
    registry::InstanceSpec self;
    self.service = std::string(registry::kNodeService);
    self.id = config_.node_label;
    self.address = self_address(config_);
    self.port = config_.advertised().port;
    self.ttl_ms = self_lease_ms(config_);
    self.node = config_.node_label;
    registry_.renew(std::move(self));

    self_timer_.expires_after(std::chrono::milliseconds(
        static_cast<std::int64_t>(config_.gossip_interval_s * 1000)));
    self_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        renew_self();
        commit();
    });
}

void Node::schedule_sweep() {
    const auto next = registry_.next_deadline();
    if (!next) return;
    const auto delay = std::max<std::int64_t>(0, *next - clock_.mono_ms());
    sweep_timer_.expires_after(std::chrono::milliseconds(delay));
    sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;  // rescheduled or stopped
        const std::size_t expired = registry_.sweep();
        if (expired) spdlog::debug("{} instance(s) expired", expired);
        commit();
        schedule_sweep();
    });
}

}  // namespace dnsd
