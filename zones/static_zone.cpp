#include "zones/static_zone.hpp"

#include <ldns/ldns.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "zones/wire_types.hpp"

namespace dnsd::zones {

namespace {

std::string type_name(std::uint16_t type) {
    char* text = ldns_rr_type2str(static_cast<ldns_rr_type>(type));
    std::string name = text ? text : "TYPE" + std::to_string(type);
    std::free(text);
    return name;
}

// Types that describe a message or a transfer, never data (RFC 6895 §3.1): OPT and 128-255.
bool is_meta_type(std::uint16_t type) {
    return type == 0 || type == to_u16(RrType::opt) || (type >= 128 && type <= 255);
}

// The zone rules that concern one record alone; an empty string when it may be served.
std::string refusal(const StaticRecord& record, const DnsName& apex) {
    const std::string owner = record.owner.to_text();
    if (!record.owner.ends_with(apex))
        return "owner " + owner + " is outside the zone " + apex.to_text() +
               " (relative names are completed with $ORIGIN, which starts as the apex)";
    const bool at_apex = record.owner == apex;
    if (record.type == to_u16(RrType::soa))
        return "SOA records are not allowed: dnsd makes the zone's SOA itself (serial = registry index)";
    if (record.type == to_u16(RrType::ns) && at_apex)
        return "NS records at the apex are not allowed: dnsd makes them from the live dnsd nodes";
    if (record.type == to_u16(RrType::ns))
        return "NS records below the apex (delegations) are not supported";
    if (record.type == to_u16(RrType::cname) && at_apex)
        return "a CNAME cannot be at the apex, which owns the zone's SOA and NS";
    if (is_meta_type(record.type))
        return "type " + type_name(record.type) + " is a meta-type and cannot be stored in a zone";
    return {};
}

// What one owner holds so far, to enforce "a CNAME and nothing else" (RFC 1034 §3.6.2).
struct OwnerUse {
    std::size_t cname_line = 0;  // 0: no CNAME yet
    std::size_t other_line = 0;  // 0: no other type yet
    std::uint16_t other_type = 0;
};

std::string cname_conflict(OwnerUse& use, const StaticRecord& record,
                           const std::vector<std::uint8_t>* existing_cname) {
    const std::string owner = record.owner.to_text();
    if (record.type == to_u16(RrType::cname)) {
        if (use.other_line != 0)
            return "CNAME at " + owner + " cannot share its name with other records (the " +
                   type_name(use.other_type) + " on line " + std::to_string(use.other_line) + ")";
        if (existing_cname && *existing_cname != record.rdata)
            return owner + " already has a CNAME (line " + std::to_string(use.cname_line) +
                   "); a name can have only one";
        if (use.cname_line == 0) use.cname_line = record.line;
        return {};
    }
    if (use.cname_line != 0)
        return owner + " has a CNAME (line " + std::to_string(use.cname_line) +
               "), so it cannot have " + type_name(record.type) + " records too";
    if (use.other_line == 0) {
        use.other_line = record.line;
        use.other_type = record.type;
    }
    return {};
}

bool rrset_less(const StaticRRset& a, const StaticRRset& b) {
    return std::pair(a.owner.wire(), a.type) < std::pair(b.owner.wire(), b.type);
}

}  // namespace

StaticZone::Built StaticZone::build(const DnsName& apex, const std::vector<StaticRecord>& records,
                                    std::uint32_t max_ttl) {
    std::vector<StaticRRset> rrsets;
    std::map<std::pair<std::string, std::uint16_t>, std::size_t> rrset_at;  // -> index in rrsets
    std::map<std::string, OwnerUse> owners;
    std::size_t count = 0;

    for (const StaticRecord& record : records) {
        if (std::string why = refusal(record, apex); !why.empty())
            return ZoneFileError{record.line, std::move(why)};

        const auto key = std::pair(std::string(record.owner.wire()), record.type);
        const auto found = rrset_at.find(key);
        StaticRRset* rrset = found == rrset_at.end() ? nullptr : &rrsets[found->second];
        const std::vector<std::uint8_t>* cname =
            rrset && record.type == to_u16(RrType::cname) ? &rrset->rdatas.front() : nullptr;
        if (std::string why = cname_conflict(owners[key.first], record, cname); !why.empty())
            return ZoneFileError{record.line, std::move(why)};

        if (!rrset) {
            rrset_at.emplace(key, rrsets.size());
            rrset = &rrsets.emplace_back(StaticRRset{record.owner, record.type, record.ttl, {}});
        }
        rrset->ttl = std::min(rrset->ttl, record.ttl);
        // A repeated record is one record (RFC 2181 §5): serving it twice would only confuse.
        if (std::find(rrset->rdatas.begin(), rrset->rdatas.end(), record.rdata) == rrset->rdatas.end()) {
            rrset->rdatas.push_back(record.rdata);
            ++count;
        }
    }
    // SPEC: no TTL dnsd hands out exceeds --max-ttl, static records included.
    for (StaticRRset& rrset : rrsets) rrset.ttl = std::min(rrset.ttl, max_ttl);
    std::sort(rrsets.begin(), rrsets.end(), rrset_less);
    return std::shared_ptr<const StaticZone>(new StaticZone(apex, std::move(rrsets), count));
}

const StaticRRset* StaticZone::find(const DnsName& owner, std::uint16_t type) const {
    const auto at = std::lower_bound(
        rrsets_.begin(), rrsets_.end(), std::pair(owner.wire(), type),
        [](const StaticRRset& rrset, const std::pair<std::string_view, std::uint16_t>& key) {
            return std::pair(rrset.owner.wire(), rrset.type) < key;
        });
    if (at == rrsets_.end() || at->owner != owner || at->type != type) return nullptr;
    return &*at;
}

bool StaticZone::name_exists(const DnsName& name) const {
    return std::any_of(rrsets_.begin(), rrsets_.end(),
                       [&](const StaticRRset& rrset) { return rrset.owner.ends_with(name); });
}

}  // namespace dnsd::zones
