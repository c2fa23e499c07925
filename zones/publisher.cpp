#include "zones/publisher.hpp"

#include <iterator>
#include <stdexcept>
#include <thread>
#include <vector>

#include "zones/apex_zone_builder.hpp"
#include "zones/browse_zone_builder.hpp"
#include "zones/chaos_zone_builder.hpp"
#include "zones/service_zone_builder.hpp"
#include "zones/static_records_builder.hpp"

namespace dnsd::zones {

namespace {
// A full rebuild with many services (start-up from a large cache.json) runs on two threads,
// each with its own builder, the second taking the upper half of the services. The registry is
// only read meanwhile (the control thread is busy here), and a zone shares nothing with another.
constexpr std::size_t parallel_build_min_services = 1024;

// `previous` lends the records of instances that did not change (service_zone_builder.hpp);
// it is only read, so both threads may share it.
std::vector<std::shared_ptr<const ServiceZone>> build_all_services(AnswerBuilder& builder,
                                                                   const DnsName& apex,
                                                                   const registry::ServiceMap& all,
                                                                   const ServiceIndex& previous) {
    std::vector<std::shared_ptr<const ServiceZone>> zones(all.size());
    const auto build_range = [&](AnswerBuilder& b, registry::ServiceMap::const_iterator it,
                                 std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i, ++it)
            zones[i] = build_service_zone(b, apex, it->first, it->second, previous.find(it->first));
    };
    if (all.size() < parallel_build_min_services) {
        build_range(builder, all.begin(), 0, all.size());
        return zones;
    }
    const std::size_t half = all.size() / 2;
    std::thread upper([&] {
        AnswerBuilder own;
        build_range(own, std::next(all.begin(), static_cast<std::ptrdiff_t>(half)), half, all.size());
    });
    build_range(builder, all.begin(), 0, half);
    upper.join();
    return zones;
}

DnsName checked_apex(const std::string& text) {
    const std::optional<DnsName> apex = DnsName::from_text(text);
    if (!apex || apex->size() == 1)
        throw std::invalid_argument("zone apex '" + text + "' is not a domain name");
    // Room for the longest names we make below it: <63-byte id>.<63-byte service>.<apex>.
    if (apex->size() + 2 * (1 + limits::max_label) > limits::max_name)
        throw std::invalid_argument("zone apex '" + text + "' is too long to hold service names");
    return *apex;
}
}  // namespace

ZonePublisher::ZonePublisher(ZoneOptions options)
    : options_(std::move(options)), apex_(checked_apex(options_.apex)) {
    extras_.chaos = build_chaos_zone(builder_, options_);
    extras_.browse = build_browse_zone(builder_, apex_, browsable_);
    publish(build_apex_zone(builder_, options_, apex_, 0, nullptr), ServiceIndex{});
}

void ZonePublisher::update(const registry::Registry& registry, const registry::ChangedServices& changed,
                           bool full) {
    const std::shared_ptr<const Snapshot> previous = current();
    ServiceIndexEditor services(full ? ServiceIndex{} : previous->services());
    // Edited in place (an incremental update touches a few names of a set that may hold 100k);
    // a full rebuild starts from an empty set and compares at the end.
    std::set<std::string> rebuilt_browsable;
    std::set<std::string>& browsable = full ? rebuilt_browsable : browsable_;
    bool browse_changed = false;
    const auto list = [&](const std::string& name, bool listed) {
        browse_changed |= listed ? browsable.insert(name).second : browsable.erase(name) > 0;
    };
    const auto place = [&](const std::string& name, std::shared_ptr<const ServiceZone> zone) {
        list(name, zone && zone->enumeration_size > 0);
        if (zone)
            services.put(std::move(zone));
        else
            services.erase(name);
    };
    const auto rebuild = [&](const std::string& name, const registry::Service& service,
                             const registry::ServiceChange& change) {
        place(name, build_service_zone(builder_, apex_, name, service, previous->services().find(name),
                                       change.whole ? nullptr : &change.ids));
    };
    if (full) {
        const registry::ServiceMap& all = registry.services();
        std::vector<std::shared_ptr<const ServiceZone>> zones =
            build_all_services(builder_, apex_, all, previous->services());
        std::size_t i = 0;
        for (const auto& entry : all) place(entry.first, std::move(zones[i++]));
        browse_changed = rebuilt_browsable != browsable_;
        browsable_ = std::move(rebuilt_browsable);
    } else {
        for (const auto& [name, change] : changed) {
            if (const registry::Service* service = registry.find(name)) {
                rebuild(name, *service, change);
            } else {
                services.erase(name);  // forgotten by the registry: NXDOMAIN from now on
                list(name, false);
            }
        }
    }
    if (browse_changed) extras_.browse = build_browse_zone(builder_, apex_, browsable_);
    auto apex = build_apex_zone(builder_, options_, apex_, static_cast<std::uint32_t>(registry.index()),
                                registry.find(name_server_service));
    publish(std::move(apex), std::move(services).finish());
}

void ZonePublisher::set_static_zone(std::shared_ptr<const StaticZone> zone) {
    extras_.statics = zone ? build_static_records(builder_, *zone, apex_) : nullptr;
    const std::shared_ptr<const Snapshot> previous = current();
    // The apex and the services are shared, not rebuilt: the registry is not needed here.
    publish(previous->apex_ptr(), previous->services());
}

void ZonePublisher::publish(std::shared_ptr<const ApexZone> apex, ServiceIndex services) {
    const std::uint64_t generation = generation_.load(std::memory_order_relaxed) + 1;
    current_.store(std::make_shared<const Snapshot>(std::move(apex), std::move(services),
                                                    options_.max_ttl_s, generation, extras_));
    // After the store: a reader that sees the new generation also sees this snapshot (or a
    // later one) on its next current().
    generation_.store(generation, std::memory_order_release);
}

}  // namespace dnsd::zones
