#pragma once
// What changed in the registry since the last commit, per service: the ids of the instances
// added, changed or removed, so that the zone and the health checks redo just those (a
// registration into a service of N instances then costs O(changed), not an O(N) walk). A
// service is marked whole when its list would not tell everything: it came or went, it was
// restored, or it changed in so many places that a rescan is cheaper. Consumers then redo all
// of it.
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dnsd::registry {

struct ServiceChange {
    bool whole = false;
    std::vector<std::string> ids;  // empty when whole; an id may repeat
};

class ChangedServices {
public:
    using Map = std::map<std::string, ServiceChange, std::less<>>;

    // Instance `id` of `service` changed; `service_size` (its instances now) bounds the list.
    void instance(const std::string& service, const std::string& id, std::size_t service_size);
    void whole(const std::string& service);

    bool empty() const { return services_.empty(); }
    std::size_t size() const { return services_.size(); }
    Map::const_iterator begin() const { return services_.begin(); }
    Map::const_iterator end() const { return services_.end(); }
    std::set<std::string> names() const;

private:
    Map services_;
};

}  // namespace dnsd::registry
