#pragma once
// --zone-file: RFC 1035 master format, parsed by ldns, into a StaticZone.
//
// $ORIGIN starts as the apex and $TTL as 3600 (ldns's default; every TTL is capped at --max-ttl
// anyway). Class IN only. $INCLUDE is refused: one file is what SIGHUP reloads, atomically.
// Owner names may hold letters, digits, '-' and '_' (no wildcards, no escapes). The first
// fault ends the parse; its line is where the offending record or directive starts.
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "zones/dns_name.hpp"
#include "zones/static_zone.hpp"
#include "zones/zone_file_error.hpp"

namespace dnsd::zones {

// Reads and parses `file`; a file that cannot be read is an error (line 0), an empty one a
// valid zone without records.
StaticZone::Built load_zone_file(const std::filesystem::path& file, const DnsName& apex,
                                 std::uint32_t max_ttl);

// The same, from the text of a zone file.
StaticZone::Built parse_zone_text(std::string_view text, const DnsName& apex, std::uint32_t max_ttl);

}  // namespace dnsd::zones
