#include "zones/service_zone.hpp"

namespace dnsd::zones {

Lookup ServiceZone::at_service(std::uint16_t qtype) const {
    switch (static_cast<RrType>(qtype)) {
        case RrType::a: return answer_or_nodata(store, a);
        case RrType::aaaa: return answer_or_nodata(store, aaaa);
        case RrType::srv: return answer_or_nodata(store, srv);
        case RrType::any: return answer_or_nodata(store, a.present() ? a : aaaa);
        default: return {LookupKind::nodata, nullptr, nullptr};
    }
}

Lookup ServiceZone::at_tcp_name(std::uint16_t qtype) const {
    switch (static_cast<RrType>(qtype)) {
        case RrType::srv:
        case RrType::any: return answer_or_nodata(store, tcp_srv);
        case RrType::ptr: return answer_or_nodata(store, tcp_ptr);
        default: return {LookupKind::nodata, nullptr, nullptr};
    }
}

Lookup ServiceZone::at_instance(std::string_view id, std::uint16_t qtype) const {
    const auto it = instances.find(id);
    if (it == instances.end()) return {LookupKind::nxdomain, nullptr, nullptr};
    const InstanceAnswers& answers = it->second;
    const RrType type = static_cast<RrType>(qtype);
    if (type == answers.address_type || type == RrType::any)
        return answer_or_nodata(store, answers.address);
    if (type == RrType::txt) return answer_or_nodata(store, answers.txt);
    if (type == RrType::srv) return answer_or_nodata(store, answers.srv);
    return {LookupKind::nodata, nullptr, nullptr};
}

Lookup ServiceZone::at_dnssd_instance(std::string_view id, std::uint16_t qtype) const {
    const auto it = instances.find(id);
    if (it == instances.end() || !it->second.dnssd_srv.present())
        return {LookupKind::nxdomain, nullptr, nullptr};
    const InstanceAnswers& answers = it->second;
    switch (static_cast<RrType>(qtype)) {
        case RrType::srv:
        case RrType::any: return answer_or_nodata(store, answers.dnssd_srv);
        case RrType::txt: return answer_or_nodata(store, answers.dnssd_txt);
        default: return {LookupKind::nodata, nullptr, nullptr};
    }
}

}  // namespace dnsd::zones
