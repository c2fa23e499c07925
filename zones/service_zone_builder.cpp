#include "zones/service_zone_builder.hpp"

#include <algorithm>
#include <vector>

#include "zones/record_data.hpp"

namespace dnsd::zones {

namespace {

// An instance as the builder needs it: its zone names, its lease and its lease group.
struct Member {
    const std::string* id;
    const registry::Instance* instance;
    DnsName name;                         // <id>.S.<apex>
    std::optional<DnsName> dnssd_name;    // <id>._S._tcp.<apex>, when it fits in 255 bytes
    std::shared_ptr<registry::LeaseCell> lease;
    std::uint32_t group = 0;
};

std::shared_ptr<registry::LeaseCell> lease_of(const registry::Instance& instance) {
    if (instance.lease) return instance.lease;
    // The registry always sets the cell; should one be missing, freeze the lease as it is now
    // rather than serve max_ttl for an instance that may be about to expire.
    return std::make_shared<registry::LeaseCell>(instance.expires_at());
}

bool is_v6(const Member& m) { return m.instance->spec.address.is_v6(); }
bool is_v4(const Member& m) { return !is_v6(m); }
bool always(const Member&) { return true; }

// A lease group over the members `keep` selects (one address family, or all).
std::uint32_t group_of(AnswerStore& store, const std::vector<Member>& members,
                       bool (*keep)(const Member&)) {
    std::vector<std::shared_ptr<registry::LeaseCell>> leases;
    for (const Member& m : members)
        if (keep(m)) leases.push_back(m.lease);
    return store.add_group(leases);
}

void add_address(AnswerBuilder& b, const Member& m) {
    const registry::IpAddress& address = m.instance->spec.address;
    b.add(m.name, address_type(address), [&](WireWriter& w) { write_address(w, address); });
}

void add_srv(AnswerBuilder& b, const DnsName& owner, const Member& m) {
    const registry::InstanceSpec& spec = m.instance->spec;
    b.add(owner, RrType::srv,
          [&](WireWriter& w) { write_srv(w, spec.priority, spec.weight, spec.port, m.name); });
}

// The SRV set at `owner` with every target's address in the additional section, so a client
// needs no second query (and nginx, which ignores additional data, can still resolve targets).
PreparedAnswer srv_answer(AnswerBuilder& b, AnswerStore& store, const DnsName& owner,
                          const std::vector<Member>& members, std::uint32_t all) {
    b.begin(store, owner);
    b.begin_rrset(Section::answer, all, RrsetOrder::cyclic);
    for (const Member& m : members) add_srv(b, owner, m);
    b.end_rrset();
    for (const Member& m : members) {
        b.begin_rrset(Section::additional, m.group);  // each target name is its own RRset
        add_address(b, m);
        b.end_rrset();
    }
    return b.finish();
}

// Every address of one family at `owner`; absent (NODATA) when the family has none.
PreparedAnswer address_answer(AnswerBuilder& b, AnswerStore& store, const DnsName& owner,
                              const std::vector<Member>& members, bool v6, std::uint32_t group) {
    bool (*const family)(const Member&) = v6 ? is_v6 : is_v4;
    if (std::none_of(members.begin(), members.end(), family)) return {};
    b.begin(store, owner);
    b.begin_rrset(Section::answer, group, RrsetOrder::cyclic);
    for (const Member& m : members) {
        if (!family(m)) continue;
        b.add(owner, v6 ? RrType::aaaa : RrType::a,
              [&](WireWriter& w) { write_address(w, m.instance->spec.address); });
    }
    return b.finish();
}

void add_txt(AnswerBuilder& b, const DnsName& owner, const std::vector<std::string>& strings) {
    b.add(owner, RrType::txt, [&](WireWriter& w) { write_txt(w, strings); });
}

// DNS-SD instance enumeration (RFC 6763 §4): PTR to each instance name, and in additional what
// a browser asks next (§12.1): each instance's SRV and TXT, then the SRV target's address.
// Grouped by instance, so an additional section cut short still holds whole instances.
PreparedAnswer ptr_answer(AnswerBuilder& b, AnswerStore& store, const DnsName& owner,
                          const std::vector<Member>& members, std::uint32_t all) {
    if (std::none_of(members.begin(), members.end(), [](const Member& m) { return m.dnssd_name.has_value(); }))
        return {};
    b.begin(store, owner);
    b.begin_rrset(Section::answer, all, RrsetOrder::cyclic);
    for (const Member& m : members)
        if (m.dnssd_name) b.add(owner, RrType::ptr, [&](WireWriter& w) { write_ptr(w, *m.dnssd_name); });
    for (const Member& m : members) {
        if (!m.dnssd_name) continue;
        b.begin_rrset(Section::additional, m.group);
        add_srv(b, *m.dnssd_name, m);
        b.begin_rrset(Section::additional, m.group);
        add_txt(b, *m.dnssd_name, instance_txt(m.instance->spec));
        b.begin_rrset(Section::additional, m.group);
        add_address(b, m);
    }
    return b.finish();
}

// SRV (target's address in additional) and TXT at `owner`, one of the instance's two names.
void srv_and_txt(AnswerBuilder& b, AnswerStore& store, const DnsName& owner, const Member& m,
                 const std::vector<std::string>& strings, PreparedAnswer& srv, PreparedAnswer& txt) {
    b.begin(store, owner);
    b.begin_rrset(Section::answer, m.group);
    add_txt(b, owner, strings);
    txt = b.finish();

    b.begin(store, owner);
    b.begin_rrset(Section::answer, m.group);
    add_srv(b, owner, m);
    b.begin_rrset(Section::additional, m.group);
    add_address(b, m);
    srv = b.finish();
}

InstanceAnswers instance_answers(AnswerBuilder& b, AnswerStore& store, const Member& m) {
    InstanceAnswers answers;
    answers.address_type = address_type(m.instance->spec.address);

    b.begin(store, m.name);
    b.begin_rrset(Section::answer, m.group);
    add_address(b, m);
    answers.address = b.finish();

    const std::vector<std::string> strings = instance_txt(m.instance->spec);
    srv_and_txt(b, store, m.name, m, strings, answers.srv, answers.txt);
    if (m.dnssd_name)
        srv_and_txt(b, store, *m.dnssd_name, m, strings, answers.dnssd_srv, answers.dnssd_txt);
    return answers;
}

}  // namespace

std::shared_ptr<const ServiceZone> build_service_zone(AnswerBuilder& builder, const DnsName& apex,
                                                      const std::string& name,
                                                      const registry::Service& service) {
    const std::optional<DnsName> service_name = apex.prepend(name);
    if (!service_name) return nullptr;
    // "_" + a 63-byte service label does not fit in a label: such a service has no SRV name
    // there, and no query could ask for one.
    std::optional<DnsName> tcp_name = apex.prepend("_tcp");
    if (tcp_name) tcp_name = tcp_name->prepend("_" + name);

    auto zone = std::make_shared<ServiceZone>();
    zone->name = name;
    AnswerStore& store = zone->store;

    std::vector<Member> members;
    members.reserve(service.instances.size());
    for (const auto& [id, instance] : service.instances) {
        // A failing health check takes the instance out of every answer, its own name included.
        if (instance.spec.health.critical()) continue;
        std::optional<DnsName> instance_name = service_name->prepend(id);
        if (!instance_name) continue;
        std::optional<DnsName> dnssd_name = tcp_name ? tcp_name->prepend(id) : std::nullopt;
        members.push_back({&id, &instance, std::move(*instance_name), std::move(dnssd_name),
                           lease_of(instance)});
    }
    for (Member& m : members) m.group = store.add_group({&m.lease, 1});

    const std::uint32_t v4 = group_of(store, members, is_v4);
    const std::uint32_t v6 = group_of(store, members, is_v6);
    const std::uint32_t all = group_of(store, members, always);

    zone->a = address_answer(builder, store, *service_name, members, false, v4);
    zone->aaaa = address_answer(builder, store, *service_name, members, true, v6);
    if (!members.empty()) {
        zone->srv = srv_answer(builder, store, *service_name, members, all);
        if (tcp_name) {
            zone->tcp_srv = srv_answer(builder, store, *tcp_name, members, all);
            zone->tcp_ptr = ptr_answer(builder, store, *tcp_name, members, all);
        }
    }
    zone->instances.reserve(members.size());
    for (const Member& m : members)
        zone->instances.emplace(*m.id, instance_answers(builder, store, m));
    store.shrink();
    return zone;
}

}  // namespace dnsd::zones
