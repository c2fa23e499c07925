#include "registry/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace dnsd::registry {

IpAddress IpAddress::v4(std::array<std::uint8_t, 4> bytes) {
    IpAddress a;
    std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
    return a;
}

IpAddress IpAddress::v6(std::array<std::uint8_t, 16> bytes) {
    IpAddress a;
    a.v6_ = true;
    a.bytes_ = bytes;
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
    char buf[INET6_ADDRSTRLEN + 1];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    IpAddress a;
    if (inet_pton(AF_INET, buf, a.bytes_.data()) == 1) return a;
    if (inet_pton(AF_INET6, buf, a.bytes_.data()) == 1) {
        a.v6_ = true;
        return a;
    }
    return std::nullopt;
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(v6_ ? AF_INET6 : AF_INET, bytes_.data(), buf, sizeof buf);
    return buf;
}

std::string IpAddress::to_label() const {
    std::string s = to_string();
    std::replace(s.begin(), s.end(), '.', '-');
    std::replace(s.begin(), s.end(), ':', '-');
    return s;
}

}  // namespace dnsd::registry
