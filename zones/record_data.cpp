#include "zones/record_data.hpp"

#include <algorithm>

namespace dnsd::zones {

RrType address_type(const registry::IpAddress& address) {
    return address.is_v6() ? RrType::aaaa : RrType::a;
}

void write_address(WireWriter& out, const registry::IpAddress& address) {
    out.bytes({address.data(), address.size()});
}

void write_srv(WireWriter& out, std::uint16_t priority, std::uint16_t weight, std::uint16_t port,
               const DnsName& target) {
    out.u16(priority);
    out.u16(weight);
    out.u16(port);
    out.name(target.wire(), Compression::forbidden);
}

void write_txt(WireWriter& out, std::span<const std::string> strings) {
    if (strings.empty()) {
        out.u8(0);
        return;
    }
    for (const std::string& s : strings) {
        const std::size_t len = std::min<std::size_t>(s.size(), 255);
        out.u8(static_cast<std::uint8_t>(len));
        out.bytes(std::string_view(s).substr(0, len));
    }
}

void write_soa(WireWriter& out, const SoaFields& soa) {
    out.name(soa.mname.wire());
    out.name(soa.rname.wire());
    out.u32(soa.serial);
    out.u32(soa.refresh);
    out.u32(soa.retry);
    out.u32(soa.expire);
    out.u32(soa.minimum);
}

void write_ns(WireWriter& out, const DnsName& target) { out.name(target.wire()); }

void write_ptr(WireWriter& out, const DnsName& target) { out.name(target.wire()); }

std::vector<std::string> instance_txt(const registry::InstanceSpec& spec) {
    std::vector<std::string> strings;
    if (!spec.version.empty()) strings.push_back("version=" + spec.version);
    for (const auto& [key, value] : spec.meta) strings.push_back(key + "=" + value);
    return strings;
}

}  // namespace dnsd::zones
