#include "zones/static_records.hpp"

#include <string_view>

#include "zones/wire_types.hpp"

namespace dnsd::zones {

Lookup StaticRecords::find(const QueryName& name, std::uint16_t qtype, bool registry_has_name) const {
    const std::string_view wire(reinterpret_cast<const char*>(name.wire.data()), name.length);
    const auto it = nodes.find(wire);
    if (it == nodes.end()) return {LookupKind::nxdomain, nullptr, nullptr};
    const StaticNode& node = it->second;
    constexpr Lookup nodata{LookupKind::nodata, nullptr, nullptr};
    if (node.cname && registry_has_name) return nodata;
    for (const StaticAnswer& a : node.answers)
        if (a.type == qtype) return answer_or_nodata(store, a.answer);
    if (node.answers.empty()) return nodata;
    // A CNAME answers every type; its own answer comes first. ANY gets one RRset (RFC 8482).
    if (node.cname || qtype == to_u16(RrType::any)) return answer_or_nodata(store, node.answers.front().answer);
    return nodata;
}

}  // namespace dnsd::zones
