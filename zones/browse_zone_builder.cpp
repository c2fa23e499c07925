#include "zones/browse_zone_builder.hpp"

#include "zones/record_data.hpp"

namespace dnsd::zones {

DnsName browse_name(const DnsName& apex) {
    // The publisher refuses an apex too long for two 64-byte labels below it; these three
    // labels take 23 bytes, so the name always exists.
    return *apex.prepend("_udp")->prepend("_dns-sd")->prepend("_services");
}

std::shared_ptr<const BrowseZone> build_browse_zone(AnswerBuilder& builder, const DnsName& apex,
                                                    const std::set<std::string>& services) {
    auto zone = std::make_shared<BrowseZone>();
    if (services.empty()) return zone;
    const DnsName owner = browse_name(apex);
    const DnsName tcp = *apex.prepend("_tcp");
    const std::uint32_t group = zone->store.add_group({});
    builder.begin(zone->store, owner);
    builder.begin_rrset(Section::answer, group, RrsetOrder::cyclic);
    for (const std::string& service : services) {
        const std::optional<DnsName> target = tcp.prepend("_" + service);
        if (!target) continue;
        // Past 64 KiB the answer is marked incomplete and further records are refused at once.
        if (!builder.add(owner, RrType::ptr, [&](WireWriter& w) { write_ptr(w, *target); })) break;
    }
    zone->services = builder.finish();
    zone->store.shrink();
    return zone;
}

}  // namespace dnsd::zones
