#include "zones/service_zone_builder.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "zones/reply_writer.hpp"
#include "zones/service_set_answer.hpp"

namespace dnsd::zones {

namespace {

// No RRset of more records than this fits in a prepared message (an A record, the smallest,
// takes 16 of its 65,524 bytes): the service-level answers and their lease groups look at the
// first this many instances of each set and no further, whatever the size of the service.
constexpr std::size_t max_set_records = (limits::max_message - limits::opt_record) / 16 + 1;

// A service of fewer served instances than this keeps no order of its own (8 bytes an instance,
// and a vector each): its next change walks its few registry entries again instead.
constexpr std::size_t keep_order_min = 16;

// An instance as the service-level answers use it: its record and its own lease group (its
// glue records' TTL).
struct Member {
    const InstanceRecord* record;
    std::uint32_t group = 0;
};

// The instances' names, written into a reused buffer rather than a DnsName per name.
class MemberNames {
public:
    explicit MemberNames(std::string_view service_wire) : service_wire_(service_wire) {}

    // Whether <id>.S.<apex> fits in 255 bytes.
    bool instance_fits(std::string_view id) const {
        return !id.empty() && id.size() <= limits::max_label &&
               1 + id.size() + service_wire_.size() <= limits::max_name;
    }
    // S.<apex> in wire form: <id>.S.<apex> is the id's label, then this.
    std::string_view service_wire() const { return service_wire_; }
    // S.<apex> itself in an answer to S.<apex>: a pointer at the question. <id>.S.<apex> in
    // such an answer is the id's label, then this.
    static std::string_view question_owner() { return {question_pointer_bytes, 2}; }

private:
    static constexpr char question_pointer_bytes[2] = {static_cast<char>(reply_bytes::question_pointer >> 8),
                                                       static_cast<char>(reply_bytes::question_pointer & 0xff)};

    std::string_view service_wire_;
};

std::shared_ptr<registry::LeaseCell> lease_of(const registry::Instance& instance) {
    if (instance.lease) return instance.lease;
    // The registry always sets the cell; should one be missing, freeze the lease as it is now
    // rather than serve max_ttl for an instance that may be about to expire.
    return std::make_shared<registry::LeaseCell>(instance.expires_at());
}

// The records own their lease cells, and the zone owns its records: the store borrows them.
std::uint32_t group_of(AnswerStore& store, const std::vector<Member>& members) {
    std::vector<const registry::LeaseCell*> leases;
    leases.reserve(members.size());
    for (const Member& m : members) leases.push_back(m.record->lease());
    return store.add_borrowed_group(leases);
}

std::uint32_t add_range_group(AnswerStore& store, std::uint32_t begin, std::uint32_t end) {
    store.groups.push_back({begin, end});
    return static_cast<std::uint32_t>(store.groups.size() - 1);
}

struct Groups {
    std::uint32_t v4 = 0;
    std::uint32_t v6 = 0;
    std::uint32_t all = 0;
};

// The lease groups of the service-level answers, each lease stored once: the IPv4 members'
// leases then the IPv6 members', so that each family's group is a range of that list, and each
// member's own group (its glue records) a single entry of it. When the service is larger than
// a set may be (`all` then is not both families whole), `all` gets its own list.
Groups add_groups(AnswerStore& store, std::vector<Member>& all, std::vector<Member>& v4,
                  std::vector<Member>& v6) {
    std::vector<const registry::LeaseCell*> leases;
    leases.reserve(v4.size() + v6.size());
    for (const Member& m : v4) leases.push_back(m.record->lease());
    for (const Member& m : v6) leases.push_back(m.record->lease());
    Groups g;
    const std::uint32_t both = store.add_borrowed_group(leases);
    const std::uint32_t begin = store.groups[both].begin;
    const auto n4 = static_cast<std::uint32_t>(v4.size());
    const auto n6 = static_cast<std::uint32_t>(v6.size());
    g.v4 = add_range_group(store, begin, begin + n4);
    g.v6 = add_range_group(store, begin + n4, begin + n4 + n6);
    g.all = all.size() == v4.size() + v6.size() ? both : group_of(store, all);
    // Each member's own group: its entry in the list. `all` and the families list the same
    // records in the same (id) order, so a merge walk finds every member's entry.
    std::size_t i4 = 0;
    std::size_t i6 = 0;
    for (Member& m : all) {
        std::uint32_t at = 0;
        if (i4 < v4.size() && v4[i4].record == m.record) {
            at = begin + static_cast<std::uint32_t>(i4++);
        } else {
            while (i6 < v6.size() && v6[i6].record != m.record) ++i6;
            at = begin + n4 + static_cast<std::uint32_t>(i6++);
        }
        m.group = add_range_group(store, at, at + 1);
    }
    return g;
}

// Owners are written compressed by hand (MemberNames): the question S.<apex> as a pointer, a
// target's name as its id's label and that pointer. The compression table would find the same
// (nothing before them is nearer), at the cost of a hash look-up or two per record, which in a
// service of hundreds of instances made up most of a registration's rebuild.
// An instance's address at S.<apex> (the question) or, for glue, at <id>.S.<apex> (`target_id`,
// its label, then the question pointer).
void add_address(AnswerBuilder& b, const InstanceRecord& r, std::string_view target_id = {}) {
    const auto rdata = [&](WireWriter& w) { w.bytes(r.address()); };
    if (target_id.empty())
        b.add_compressed(MemberNames::question_owner(), r.address_type(), rdata);
    else
        b.add_compressed(target_id, MemberNames::question_owner(), r.address_type(), rdata);
}

// RFC 2782: the target is never compressed. It is <id>.S.<apex>, written in its two parts.
void add_srv(AnswerBuilder& b, const InstanceRecord& r, std::string_view service_wire) {
    b.add_compressed(MemberNames::question_owner(), RrType::srv, [&](WireWriter& w) {
        w.u16(r.priority());
        w.u16(r.weight());
        w.u16(r.port());
        w.u8(static_cast<std::uint8_t>(r.id().size()));
        w.bytes(r.id());
        w.bytes(service_wire);
    });
}

// The SRV set at `owner` with every target's address in the additional section, so a client
// needs no second query (and nginx, which ignores additional data, can still resolve targets).
PreparedAnswer srv_answer(AnswerBuilder& b, AnswerStore& store, const DnsName& owner,
                          const std::vector<Member>& members, std::uint32_t all, const MemberNames& names) {
    b.begin(store, owner);
    b.begin_rrset(Section::answer, all, RrsetOrder::cyclic);
    for (const Member& m : members) {
        if (b.incomplete()) break;
        add_srv(b, *m.record, names.service_wire());
    }
    b.end_rrset();
    for (const Member& m : members) {
        if (b.incomplete()) break;
        b.begin_rrset(Section::additional, m.group);  // each target name is its own RRset
        add_address(b, *m.record, m.record->id());
        b.end_rrset();
    }
    return b.finish();
}

// Every address of one family at `owner`; absent (NODATA) when the family has none.
PreparedAnswer address_answer(AnswerBuilder& b, AnswerStore& store, const DnsName& owner,
                              const std::vector<Member>& family, std::uint32_t group) {
    if (family.empty()) return {};
    b.begin(store, owner);
    b.begin_rrset(Section::answer, group, RrsetOrder::cyclic);
    for (const Member& m : family) {
        if (b.incomplete()) break;
        add_address(b, *m.record);
    }
    return b.finish();
}

// The instance table of the new generation, its records in id order, and the first
// max_set_records of them (in id order) of each set the service-level answers draw from.
struct Scan {
    InstanceTable table;
    std::vector<const InstanceRecord*> in_id_order;
    // Only the changed instances were looked at (scan_changed): the records that left the
    // previous generation and those that joined, so that sizes can be adjusted, not recounted.
    bool changed_only = false;
    std::vector<const InstanceRecord*> dropped;
    std::vector<const InstanceRecord*> added;
    std::vector<Member> all;
    std::vector<Member> v4;
    std::vector<Member> v6;
};

// A failing health check takes the instance out of every answer, its own name included.
bool served(const registry::Instance& instance, std::string_view id, const MemberNames& names) {
    return !instance.spec.health->critical() && names.instance_fits(id);
}

// The record for a registry entry: the previous generation's while the entry is unchanged.
const InstanceRecord* record_for(InstanceTableEditor& table, const InstanceRecord* old,
                                 std::string_view id, const registry::Instance& instance) {
    if (old && old->made_from(instance)) return old;
    InstanceRef made = InstanceRecord::make(id, instance.spec, lease_of(instance), instance.modify_index);
    const InstanceRecord* record = made.get();
    table.put(std::move(made));
    return record;
}

// Every registry entry compared with the previous generation: for a new service, a rescan
// asked for, or a table that must be re-sharded.
void scan_all(Scan& scan, const registry::Service& service, const InstanceTable& base,
              InstanceTableEditor& table, const MemberNames& names) {
    const bool incremental = table.kept_base();
    // Base records seen per shard: a shard that held more had instances the registry dropped.
    std::vector<std::uint32_t> seen(incremental ? table.shard_count() : 0);
    scan.in_id_order.reserve(service.instances.size());
    for (const auto& [id, instance] : service.instances) {
        const InstanceRecord* old = base.find(id);
        if (old && incremental) ++seen[table.shard_of(old->hash())];
        if (!served(instance, id, names)) {
            if (old && incremental) table.erase(id);
            continue;
        }
        const InstanceRecord* record = record_for(table, old, id, instance);
        if (record == old && !incremental) table.put(InstanceRef::share(*old));
        scan.in_id_order.push_back(record);  // the registry's map is in id order
    }
    for (std::size_t shard = 0; shard < seen.size(); ++shard) {
        if (seen[shard] == table.base_count(shard)) continue;
        table.for_each_in_base_shard(shard, [&](const InstanceRecord& r) {
            if (!service.instances.contains(std::string(r.id()))) table.erase(r.id());
        });
    }
}

// Only the instances named in `ids` changed since `previous`: each is looked up, and put in,
// replaced in or dropped from the previous generation's table and order.
void scan_changed(Scan& scan, const registry::Service& service, const ServiceZone& previous,
                  InstanceTableEditor& table, std::vector<std::string> ids, const MemberNames& names) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<const InstanceRecord*>& order = scan.in_id_order;
    order = previous.in_id_order;
    const auto position = [&](std::string_view id) {
        return std::lower_bound(order.begin(), order.end(), id,
                                [](const InstanceRecord* r, std::string_view key) { return r->id() < key; });
    };
    scan.changed_only = true;
    for (const std::string& id : ids) {
        const auto entry = service.instances.find(id);
        const InstanceRecord* old = previous.instances.find(id);
        const auto at = position(id);
        const bool listed = at != order.end() && (*at)->id() == id;
        if (entry == service.instances.end() || !served(entry->second, id, names)) {
            if (old) {
                table.erase(id);
                scan.dropped.push_back(old);
            }
            if (listed) order.erase(at);
            continue;
        }
        const InstanceRecord* record = record_for(table, old, id, entry->second);
        if (record != old) {
            if (old) scan.dropped.push_back(old);
            scan.added.push_back(record);
        }
        if (listed)
            *at = record;
        else
            order.insert(at, record);
    }
}

Scan scan_instances(const registry::Service& service, const ServiceZone* previous,
                    const std::vector<std::string>* changed_ids, const MemberNames& names) {
    static const InstanceTable no_instances;
    const InstanceTable& base = previous ? previous->instances : no_instances;
    InstanceTableEditor table(base, service.instances.size());
    Scan scan;
    const bool has_order = previous && previous->in_id_order.size() == previous->instances.size();
    if (has_order && changed_ids && table.kept_base())
        scan_changed(scan, service, *previous, table, *changed_ids, names);
    else
        scan_all(scan, service, base, table, names);
    scan.table = std::move(table).finish();

    const auto take = [](std::vector<Member>& set, const InstanceRecord* r) {
        if (set.size() < max_set_records) set.push_back({r});
    };
    for (const InstanceRecord* record : scan.in_id_order) {
        take(scan.all, record);
        take(record->address_type() == RrType::a ? scan.v4 : scan.v6, record);
        if (scan.v4.size() == max_set_records && scan.v6.size() == max_set_records) break;
    }
    return scan;
}

}  // namespace

std::shared_ptr<const ServiceZone> build_service_zone(AnswerBuilder& builder, const DnsName& apex,
                                                      const std::string& name,
                                                      const registry::Service& service,
                                                      const ServiceZone* previous,
                                                      const std::vector<std::string>* changed_ids) {
    const std::optional<DnsName> service_name = apex.prepend(name);
    if (!service_name) return nullptr;
    // "_" + a 63-byte service label does not fit in a label: such a service has no SRV name
    // there, and no query could ask for one.
    std::optional<DnsName> tcp_name = apex.prepend("_tcp");
    if (tcp_name) tcp_name = tcp_name->prepend("_" + name);

    auto zone = std::make_shared<ServiceZone>();
    zone->name = name;
    zone->has_tcp_name = tcp_name.has_value();
    AnswerStore& store = zone->store;
    MemberNames names(service_name->wire());

    Scan scan = scan_instances(service, previous, changed_ids, names);
    zone->instances = std::move(scan.table);
    if (scan.in_id_order.size() >= keep_order_min) {
        zone->in_id_order = std::move(scan.in_id_order);
        zone->in_id_order.shrink_to_fit();
    }
    const Groups groups = scan.all.empty() ? Groups{} : add_groups(store, scan.all, scan.v4, scan.v6);
    const std::uint32_t v4 = groups.v4;
    const std::uint32_t v6 = groups.v6;
    const std::uint32_t all = groups.all;

    zone->a = address_answer(builder, store, *service_name, scan.v4, v4);
    zone->aaaa = address_answer(builder, store, *service_name, scan.v6, v6);
    if (!scan.all.empty()) zone->srv = srv_answer(builder, store, *service_name, scan.all, all, names);
    if (tcp_name) {
        const std::size_t name_size = tcp_name->wire().size();
        const auto size_of = [&](ServiceSet set, std::uint32_t before) {
            if (!scan.changed_only) return static_cast<std::uint32_t>(service_set_size(zone->instances, set, name_size));
            std::size_t size = before;
            for (const InstanceRecord* r : scan.dropped) size -= service_set_record_size(*r, set, name_size);
            for (const InstanceRecord* r : scan.added) size += service_set_record_size(*r, set, name_size);
            return static_cast<std::uint32_t>(size);
        };
        zone->tcp_srv_size = size_of(ServiceSet::tcp_srv, previous ? previous->tcp_srv_size : 0);
        zone->enumeration_size = size_of(ServiceSet::enumeration, previous ? previous->enumeration_size : 0);
    }
    store.shrink();
    return zone;
}

}  // namespace dnsd::zones
