#include "zones/apex_zone.hpp"

#include "zones/wire_types.hpp"

namespace dnsd::zones {

Lookup ApexZone::at_apex(std::uint16_t qtype) const {
    switch (static_cast<RrType>(qtype)) {
        case RrType::soa:
        case RrType::any: return answer_or_nodata(store, soa);
        case RrType::ns: return answer_or_nodata(store, ns);
        default: return {LookupKind::nodata, nullptr, nullptr};
    }
}

}  // namespace dnsd::zones
