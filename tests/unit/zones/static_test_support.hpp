#pragma once
// Zone-file data for the zones tests: records written in presentation form and turned into
// wire rdata by ldns (an independent encoder), grouped by StaticZone::build as a file would be.
#include <ldns/ldns.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "zone_test_support.hpp"
#include "zones/static_zone.hpp"

namespace dnsd::zones::test {

// "www.svc. 300 IN A 192.0.2.1" → a StaticRecord (owner lower-cased, rdata uncompressed).
inline StaticRecord static_record(const std::string& line) {
    ldns_rr* rr = nullptr;
    const ldns_status status = ldns_rr_new_frm_str(&rr, line.c_str(), 0, nullptr, nullptr);
    EXPECT_EQ(status, LDNS_STATUS_OK) << line;
    StaticRecord record;
    if (status != LDNS_STATUS_OK) return record;
    record.owner = *DnsName::from_text(take_string(ldns_rdf2str(ldns_rr_owner(rr))));
    record.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr));
    record.ttl = ldns_rr_ttl(rr);
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
        record.rdata.insert(record.rdata.end(), ldns_rdf_data(rdf), ldns_rdf_data(rdf) + ldns_rdf_size(rdf));
    }
    record.line = 1;
    ldns_rr_free(rr);
    return record;
}

inline std::shared_ptr<const StaticZone> static_zone(const std::string& apex,
                                                     const std::vector<std::string>& lines,
                                                     std::uint32_t max_ttl = 86400) {
    std::vector<StaticRecord> records;
    for (const std::string& line : lines) records.push_back(static_record(line));
    auto built = StaticZone::build(*DnsName::from_text(apex), records, max_ttl);
    if (const auto* error = std::get_if<ZoneFileError>(&built)) {
        ADD_FAILURE() << error->reason;
        return nullptr;
    }
    return std::get<std::shared_ptr<const StaticZone>>(built);
}

}  // namespace dnsd::zones::test
