#pragma once
// An IPv4 or IPv6 address as the registry stores it: the raw bytes DNS puts in A/AAAA rdata.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dnsd::registry {

class IpAddress {
public:
    IpAddress() = default;
    static IpAddress v4(std::array<std::uint8_t, 4> bytes);
    static IpAddress v6(std::array<std::uint8_t, 16> bytes);
    // Accepts dotted-quad IPv4 and RFC 4291 IPv6 text; an IPv4-mapped IPv6 address stays IPv6.
    static std::optional<IpAddress> parse(std::string_view text);

    bool is_v6() const { return v6_; }
    // 4 bytes for IPv4, 16 for IPv6: exactly the A/AAAA rdata.
    const std::uint8_t* data() const { return bytes_.data(); }
    std::size_t size() const { return v6_ ? 16 : 4; }
    std::string to_string() const;
    // "10-0-0-3" / "fe80--1": usable inside a DNS label (derived instance ids).
    std::string to_label() const;

    auto operator<=>(const IpAddress&) const = default;

private:
    bool v6_ = false;
    std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace dnsd::registry
