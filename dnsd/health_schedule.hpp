#pragma once
// When each check this node runs is due: the checks of the instances whose registration it
// took (spec.node is this node), kept in line with the registry as services change. No timers
// and no sockets: times are the registry clock's monotonic milliseconds, passed in.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registry/clock.hpp"
#include "registry/registry.hpp"

namespace dnsd {

struct DueProbe {
    registry::InstanceKey key;
    registry::HealthCheck check;
};

class HealthSchedule {
public:
    explicit HealthSchedule(std::string node_label) : node_(std::move(node_label)) {}

    // Start-up: every check this node runs, the first probes spread over one interval (by the
    // instance's key, so a restart does not probe everything at the same moment).
    void reconcile_all(const registry::Registry& registry, registry::MonoMs now);
    // After a registry change: new or changed checks are due at once, checks of instances that
    // are gone, moved to another node or lost their check are dropped. Only the instances
    // named in `changed` are looked at, or every instance of a service changed whole.
    void reconcile(const registry::Registry& registry, const registry::ChangedServices& changed,
                   registry::MonoMs now);

    // The checks due at `now` that are not probing already; they are marked as probing.
    std::vector<DueProbe> take_due(registry::MonoMs now);
    // Every check not probing already (POST /v1/sync), marked as probing.
    std::vector<DueProbe> take_all(registry::MonoMs now);
    // A probe ended: the next is due one interval after this one started.
    void finished(const registry::InstanceKey& key, registry::MonoMs now);

    // The earliest moment a check is due that is not probing already.
    std::optional<registry::MonoMs> next_due() const;
    std::size_t size() const { return entries_.size(); }
    std::size_t probing() const { return probing_; }
    bool contains(const registry::InstanceKey& key) const { return entries_.count(key) > 0; }

private:
    struct Entry {
        registry::HealthCheck check;
        registry::MonoMs next_at = 0;
        registry::MonoMs started_at = 0;
        bool probing = false;
        bool rerun = false;  // the check changed while its probe ran: due again at its end
    };
    // Whether this node runs the instance's check: it has one, and took its registration.
    bool probed_here(const registry::Instance* instance) const {
        return instance && instance->spec.node == node_ && instance->spec.check->present();
    }
    void reconcile_service(const registry::Registry& registry, const std::string& service,
                           registry::MonoMs now, bool stagger);
    void reconcile_instance(const registry::Registry& registry, const std::string& service,
                            const std::string& id, registry::MonoMs now);
    void put(const registry::InstanceKey& key, const registry::HealthCheck& check, registry::MonoMs at);
    void erase(std::map<registry::InstanceKey, Entry>::iterator it);
    void start(const registry::InstanceKey& key, Entry& entry, registry::MonoMs now,
               std::vector<DueProbe>& out);

    std::string node_;
    std::map<registry::InstanceKey, Entry> entries_;
    std::set<std::pair<registry::MonoMs, registry::InstanceKey>> queue_;  // entries not probing
    std::size_t probing_ = 0;
};

}  // namespace dnsd
