#include "zones/apex_zone_builder.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "registry/names.hpp"
#include "zones/record_data.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones {

namespace {

// Nobody transfers this zone (it changes with every heartbeat), so these only need to be
// plausible for tools that inspect the SOA: RFC 1912 §2.2 values.
constexpr std::uint32_t refresh_s = 3600;
constexpr std::uint32_t retry_s = 600;
constexpr std::uint32_t expire_s = 1'209'600;

struct NameServer {
    DnsName name;
    const registry::Instance* instance = nullptr;  // null for the fallback
    std::shared_ptr<registry::LeaseCell> lease;
    std::uint32_t group = 0;
};

std::vector<NameServer> name_servers(const ZoneOptions& options, const DnsName& apex,
                                     const registry::Service* service) {
    std::vector<NameServer> servers;
    // The publisher refuses an apex too long for these names, so they always exist.
    const DnsName base = *apex.prepend(name_server_service);
    if (service) {
        for (const auto& [id, instance] : service->instances) {
            std::optional<DnsName> name = base.prepend(id);
            if (!name) continue;
            auto lease = instance.lease ? instance.lease
                                        : std::make_shared<registry::LeaseCell>(instance.expires_at());
            servers.push_back({std::move(*name), &instance, std::move(lease)});
        }
    }
    if (servers.empty()) {
        // Before this node's own registration is in (or with a label we cannot use) the zone
        // still needs an NS and an SOA MNAME.
        std::optional<DnsName> name;
        if (registry::is_valid_label(options.node_label))
            name = base.prepend(registry::canonical_label(options.node_label));
        servers.push_back({name ? std::move(*name) : base, nullptr, nullptr});
    }
    return servers;
}

// RFC 2308's SOA for negative answers; see ApexZone::negative_soa.
void prepare_negative_soa(ApexZone& zone, const SoaFields& soa, std::uint32_t ttl) {
    std::array<std::uint8_t, 2 * limits::max_name + 64> buffer{};
    WireWriter out(buffer);
    const auto apex_pointer = [&](std::size_t slot) {
        zone.negative_soa_pointers[slot] = static_cast<std::uint16_t>(out.size());
        out.pointer(0);
    };
    const auto name_before_apex = [&](const DnsName& name, std::size_t slot) {
        out.bytes(name.wire().substr(0, name.size() - zone.apex.size()));
        apex_pointer(slot);
    };
    apex_pointer(0);
    out.u16(to_u16(RrType::soa));
    out.u16(to_u16(RrClass::in));
    out.u32(ttl);
    const std::size_t rdlength_at = out.size();
    out.u16(0);
    name_before_apex(soa.mname, 1);
    name_before_apex(soa.rname, 2);
    for (std::uint32_t v : {soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum}) out.u32(v);
    out.patch_u16(rdlength_at, static_cast<std::uint16_t>(out.size() - rdlength_at - 2));
    const auto written = out.written();
    zone.negative_soa.assign(written.begin(), written.end());
}

}  // namespace

std::shared_ptr<const ApexZone> build_apex_zone(AnswerBuilder& builder, const ZoneOptions& options,
                                                const DnsName& apex, std::uint32_t serial,
                                                const registry::Service* name_servers_service) {
    auto zone = std::make_shared<ApexZone>();
    zone->apex = apex;
    zone->serial = serial;
    AnswerStore& store = zone->store;

    std::vector<NameServer> servers = name_servers(options, apex, name_servers_service);
    std::vector<std::shared_ptr<registry::LeaseCell>> leases;
    for (NameServer& s : servers) {
        s.group = store.add_group({&s.lease, 1});
        leases.push_back(s.lease);
    }
    const std::uint32_t all_servers = store.add_group(leases);
    const std::uint32_t fixed = store.add_group({});

    const SoaFields soa{servers.front().name,
                        *apex.prepend("hostmaster"),
                        zone->serial,
                        refresh_s,
                        retry_s,
                        expire_s,
                        options.max_ttl_s};

    builder.begin(store, apex);
    builder.begin_rrset(Section::answer, fixed);
    builder.add(apex, RrType::soa, [&](WireWriter& w) { write_soa(w, soa); });
    zone->soa = builder.finish();

    builder.begin(store, apex);
    builder.begin_rrset(Section::answer, all_servers, RrsetOrder::cyclic);
    for (const NameServer& s : servers)
        builder.add(apex, RrType::ns, [&](WireWriter& w) { write_ns(w, s.name); });
    for (const NameServer& s : servers) {
        if (!s.instance) continue;
        const registry::IpAddress& address = s.instance->spec.address;
        builder.begin_rrset(Section::additional, s.group);
        builder.add(s.name, address_type(address), [&](WireWriter& w) { write_address(w, address); });
    }
    zone->ns = builder.finish();

    prepare_negative_soa(*zone, soa, options.max_ttl_s);
    store.shrink();
    return zone;
}

}  // namespace dnsd::zones
