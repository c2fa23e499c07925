#include "zones/service_zone.hpp"

#include "zones/service_set_answer.hpp"

namespace dnsd::zones {

namespace {
Lookup service_set(const ServiceZone& service, ServiceSet set, std::uint32_t size) {
    if (size == 0) return {LookupKind::nodata, nullptr, nullptr};
    Lookup found{LookupKind::answer, nullptr, nullptr};
    found.service = &service;
    found.set = set;
    return found;
}
}  // namespace

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
        case RrType::any: return service_set(*this, ServiceSet::tcp_srv, tcp_srv_size);
        case RrType::ptr: return service_set(*this, ServiceSet::enumeration, enumeration_size);
        default: return {LookupKind::nodata, nullptr, nullptr};
    }
}

Lookup ServiceZone::at_instance(std::string_view id, std::uint16_t qtype) const {
    const InstanceRecord* record = instances.find(id);
    if (!record) return {LookupKind::nxdomain, nullptr, nullptr};
    const RrType type = static_cast<RrType>(qtype);
    if (type == record->address_type() || type == RrType::any)
        return instance_answer(*record, InstancePart::address);
    if (type == RrType::txt) return instance_answer(*record, InstancePart::txt);
    if (type == RrType::srv) return instance_answer(*record, InstancePart::srv);
    return {LookupKind::nodata, nullptr, nullptr};
}

Lookup ServiceZone::at_dnssd_instance(std::string_view id, std::uint16_t qtype) const {
    const InstanceRecord* record = has_tcp_name ? instances.find(id) : nullptr;
    if (!record) return {LookupKind::nxdomain, nullptr, nullptr};
    switch (static_cast<RrType>(qtype)) {
        case RrType::srv:
        case RrType::any: return instance_answer(*record, InstancePart::dnssd_srv);
        case RrType::txt: return instance_answer(*record, InstancePart::dnssd_txt);
        default: return {LookupKind::nodata, nullptr, nullptr};
    }
}

}  // namespace dnsd::zones
