#include "zones/snapshot.hpp"

#include <string_view>

namespace dnsd::zones {

namespace {
constexpr std::string_view tcp_label = "_tcp";
constexpr std::string_view udp_label = "_udp";
constexpr std::string_view dns_sd_label = "_dns-sd";
constexpr std::string_view services_label = "_services";
constexpr Lookup nxdomain{LookupKind::nxdomain, nullptr, nullptr};
constexpr Lookup nodata{LookupKind::nodata, nullptr, nullptr};
constexpr Lookup refused{LookupKind::refused, nullptr, nullptr};

// "_S" → "S"; empty when the label is no service's SRV label.
std::string_view service_of(std::string_view label) {
    if (label.size() < 2 || label.front() != '_') return {};
    return label.substr(1);
}
}  // namespace

Lookup Snapshot::find(const QueryName& name, std::uint16_t qtype) const {
    const std::string_view apex = apex_->apex.wire();
    if (name.length < apex.size()) return refused;
    // The apex must match whole labels: the suffix of the same length starts at a label.
    const std::size_t depth = [&] {
        std::size_t i = 0;
        while (i < name.label_count && name.length - name.label_at[i] > apex.size()) ++i;
        return i;
    }();
    if (name.suffix(depth) != apex) return refused;

    const Lookup dynamic = find_dynamic(name, depth, qtype);
    if (dynamic.kind == LookupKind::answer || !extras_.statics) return dynamic;
    // The registry wins; the zone file fills in the (name, type) pairs it leaves empty.
    const bool registry_has_name = dynamic.kind == LookupKind::nodata;
    const Lookup fixed = extras_.statics->find(name, qtype, registry_has_name);
    if (fixed.kind == LookupKind::answer) return fixed;
    return registry_has_name || fixed.kind == LookupKind::nodata ? nodata : nxdomain;
}

Lookup Snapshot::find_dynamic(const QueryName& name, std::size_t depth, std::uint16_t qtype) const {
    // The browse tree's names and _tcp exist while any service is known, as a known service
    // with no live instance does: NODATA, never NXDOMAIN, through a short outage.
    const bool any_service = !services_.empty();
    switch (depth) {
        case 0: return apex_->at_apex(qtype);
        case 1: {
            const std::string_view label = name.label(0);
            if (const ServiceZone* service = services_.find(label)) return service->at_service(qtype);
            if ((label == tcp_label || label == udp_label) && any_service) return nodata;
            return nxdomain;
        }
        case 2: {
            const std::string_view first = name.label(0);
            const std::string_view second = name.label(1);
            if (second == tcp_label) {
                const ServiceZone* service = services_.find(service_of(first));
                return service ? service->at_tcp_name(qtype) : nxdomain;
            }
            if (second == udp_label) return first == dns_sd_label && any_service ? nodata : nxdomain;
            const ServiceZone* service = services_.find(second);
            return service ? service->at_instance(first, qtype) : nxdomain;
        }
        case 3: {
            const std::string_view first = name.label(0);
            const std::string_view second = name.label(1);
            const std::string_view third = name.label(2);
            if (third == tcp_label) {
                const ServiceZone* service = services_.find(service_of(second));
                return service ? service->at_dnssd_instance(first, qtype) : nxdomain;
            }
            if (third == udp_label && second == dns_sd_label && first == services_label) {
                if (!any_service) return nxdomain;
                if (qtype != to_u16(RrType::ptr) && qtype != to_u16(RrType::any)) return nodata;
                if (!extras_.browse) return nodata;
                return answer_or_nodata(extras_.browse->store, extras_.browse->services);
            }
            return nxdomain;
        }
        default: return nxdomain;
    }
}

Lookup Snapshot::find_chaos(const QueryName& name, std::uint16_t qtype) const {
    return extras_.chaos ? extras_.chaos->find(name, qtype) : refused;
}

}  // namespace dnsd::zones
