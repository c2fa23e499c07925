#include "zones/snapshot.hpp"

#include <cstring>

namespace dnsd::zones {

namespace {
constexpr std::string_view tcp_label = "_tcp";
constexpr Lookup nxdomain{LookupKind::nxdomain, nullptr, nullptr};
}  // namespace

Lookup Snapshot::find(const QueryName& name, std::uint16_t qtype) const {
    const std::string_view apex = apex_->apex.wire();
    if (name.length < apex.size()) return {LookupKind::refused, nullptr, nullptr};
    // The apex must match whole labels: the suffix of the same length starts at a label.
    const std::size_t depth = [&] {
        std::size_t i = 0;
        while (i < name.label_count && name.length - name.label_at[i] > apex.size()) ++i;
        return i;
    }();
    if (name.suffix(depth) != apex) return {LookupKind::refused, nullptr, nullptr};

    switch (depth) {
        case 0: return apex_->at_apex(qtype);
        case 1: {
            const std::string_view label = name.label(0);
            if (const ServiceZone* service = services_.find(label)) return service->at_service(qtype);
            if (label == tcp_label && !services_.empty()) return {LookupKind::nodata, nullptr, nullptr};
            return nxdomain;
        }
        case 2: {
            const std::string_view first = name.label(0);
            const std::string_view second = name.label(1);
            if (second == tcp_label) {
                if (first.size() < 2 || first.front() != '_') return nxdomain;
                const ServiceZone* service = services_.find(first.substr(1));
                return service ? service->at_tcp_name(qtype) : nxdomain;
            }
            const ServiceZone* service = services_.find(second);
            return service ? service->at_instance(first, qtype) : nxdomain;
        }
        default: return nxdomain;
    }
}

}  // namespace dnsd::zones
