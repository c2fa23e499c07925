#pragma once
// A domain name while answers are being built (control thread, allocation allowed): its
// lower-case wire form. Zone data is canonical lower case, so names compare bytewise.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dnsd::zones {

class DnsName {
public:
    // The root name.
    DnsName() : wire_(1, '\0') {}

    // "api.svc", "api.svc." or "." for the root. Lower-cases; nullopt for an empty label, a label
    // over 63 bytes or a name over 255 bytes on the wire.
    static std::optional<DnsName> from_text(std::string_view text);

    // label + "." + this; nullopt when the label is empty, too long, or the result too long.
    std::optional<DnsName> prepend(std::string_view label) const;

    // Lower-case wire bytes, root byte included.
    std::string_view wire() const { return wire_; }
    std::span<const std::uint8_t> bytes() const {
        return {reinterpret_cast<const std::uint8_t*>(wire_.data()), wire_.size()};
    }
    std::size_t size() const { return wire_.size(); }
    std::size_t label_count() const;
    bool ends_with(const DnsName& suffix) const;
    std::string to_text() const;  // "api.svc." ("." for the root)

    bool operator==(const DnsName&) const = default;

private:
    explicit DnsName(std::string wire) : wire_(std::move(wire)) {}
    std::string wire_;
};

}  // namespace dnsd::zones
