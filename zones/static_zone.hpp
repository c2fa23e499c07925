#pragma once
// The static records of --zone-file, grouped into RRsets and checked against the rules of a
// zone that dnsd shares with the registry. Immutable once built: the publisher holds it in a
// shared_ptr, and a SIGHUP reload builds a new one beside it, so a bad file never replaces a
// good one.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "zones/dns_name.hpp"
#include "zones/zone_file_error.hpp"

namespace dnsd::zones {

// All records of one owner and type: what a query for (owner, type) answers.
struct StaticRRset {
    DnsName owner;  // canonical lower case, at or below the apex
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;  // the smallest TTL of its records, capped at --max-ttl
    std::vector<std::vector<std::uint8_t>> rdatas;  // uncompressed wire rdata, file order, no duplicates
};

// One record as the file gave it, before grouping; `line` is where it starts, for errors.
struct StaticRecord {
    DnsName owner;
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::vector<std::uint8_t> rdata;
    std::size_t line = 0;
};

class StaticZone {
public:
    using Built = std::variant<std::shared_ptr<const StaticZone>, ZoneFileError>;

    // Groups `records` into RRsets. Refused, with the line of the first offending record:
    // an owner outside the apex; SOA anywhere and NS at the apex (dnsd makes those from the
    // registry); NS below the apex (dnsd does not delegate); meta-types (OPT, TSIG, ANY, ...);
    // a CNAME at the apex, beside other data or doubled (RFC 1034 §3.6.2, RFC 2181 §10.1).
    // Records of one RRset with different TTLs (RFC 2181 §5.2 forbids it) get the smallest.
    static Built build(const DnsName& apex, const std::vector<StaticRecord>& records,
                       std::uint32_t max_ttl);

    const DnsName& apex() const { return apex_; }
    // Sorted by owner (wire bytes) then type, so look-ups can bisect and output is stable.
    const std::vector<StaticRRset>& rrsets() const { return rrsets_; }
    std::size_t record_count() const { return record_count_; }

    const StaticRRset* find(const DnsName& owner, std::uint16_t type) const;
    // True when `name` owns records or is an empty non-terminal above an owner: such a name
    // answers NODATA, not NXDOMAIN (RFC 8020).
    bool name_exists(const DnsName& name) const;

private:
    StaticZone(DnsName apex, std::vector<StaticRRset> rrsets, std::size_t record_count)
        : apex_(std::move(apex)), rrsets_(std::move(rrsets)), record_count_(record_count) {}

    DnsName apex_;
    std::vector<StaticRRset> rrsets_;
    std::size_t record_count_ = 0;
};

}  // namespace dnsd::zones
