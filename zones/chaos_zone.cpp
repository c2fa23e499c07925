#include "zones/chaos_zone.hpp"

#include <string_view>

#include "zones/wire_types.hpp"

namespace dnsd::zones {

Lookup ChaosZone::find(const QueryName& name, std::uint16_t qtype) const {
    constexpr Lookup refused{LookupKind::refused, nullptr, nullptr};
    if (qtype != to_u16(RrType::txt) && qtype != to_u16(RrType::any)) return refused;
    const std::string_view wire(reinterpret_cast<const char*>(name.wire.data()), name.length);
    for (const ChaosName& entry : names)
        if (entry.name.wire() == wire && entry.txt.present()) return {LookupKind::answer, &store, &entry.txt};
    return refused;
}

}  // namespace dnsd::zones
