#include "registry/changed_services.hpp"

namespace dnsd::registry {

namespace {
// Past this many ids a service is rescanned whole: an id costs a few look-ups where a rescan
// costs a step per instance, and the list must not grow without bound between commits.
std::size_t id_limit(std::size_t service_size) { return 16 + service_size / 4; }
}  // namespace

void ChangedServices::instance(const std::string& service, const std::string& id,
                               std::size_t service_size) {
    // The hint makes a run of changes in name order (a restore) O(1) each.
    ServiceChange& change = services_.try_emplace(services_.end(), service)->second;
    if (change.whole) return;
    if (change.ids.size() >= id_limit(service_size)) {
        change.whole = true;
        change.ids = {};
        return;
    }
    change.ids.push_back(id);
}

void ChangedServices::whole(const std::string& service) {
    ServiceChange& change = services_.try_emplace(services_.end(), service)->second;
    change.whole = true;
    change.ids = {};
}

std::set<std::string> ChangedServices::names() const {
    std::set<std::string> out;
    for (const auto& entry : services_) out.insert(out.end(), entry.first);
    return out;
}

}  // namespace dnsd::registry
