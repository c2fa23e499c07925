#include "zones/dns_name.hpp"

#include "zones/wire_types.hpp"

namespace dnsd::zones {

namespace {
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void append_label(std::string& wire, std::string_view label) {
    wire.push_back(static_cast<char>(label.size()));
    for (char c : label) wire.push_back(to_lower(c));
}
}  // namespace

std::optional<DnsName> DnsName::from_text(std::string_view text) {
    if (text == ".") return DnsName{};
    if (!text.empty() && text.back() == '.') text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    std::string wire;
    while (true) {
        const std::size_t dot = text.find('.');
        const std::string_view label = text.substr(0, dot);
        if (label.empty() || label.size() > limits::max_label) return std::nullopt;
        append_label(wire, label);
        if (dot == std::string_view::npos) break;
        text.remove_prefix(dot + 1);
    }
    wire.push_back('\0');
    if (wire.size() > limits::max_name) return std::nullopt;
    return DnsName(std::move(wire));
}

std::optional<DnsName> DnsName::prepend(std::string_view label) const {
    if (label.empty() || label.size() > limits::max_label) return std::nullopt;
    if (wire_.size() + 1 + label.size() > limits::max_name) return std::nullopt;
    std::string wire;
    wire.reserve(wire_.size() + 1 + label.size());
    append_label(wire, label);
    wire += wire_;
    return DnsName(std::move(wire));
}

std::size_t DnsName::label_count() const {
    std::size_t count = 0;
    for (std::size_t at = 0; wire_[at] != '\0'; at += 1 + static_cast<std::uint8_t>(wire_[at]))
        ++count;
    return count;
}

bool DnsName::ends_with(const DnsName& suffix) const {
    if (suffix.size() > size()) return false;
    // Only a label boundary counts: walk the labels until the remaining length matches.
    std::size_t at = 0;
    while (size() - at > suffix.size()) at += 1 + static_cast<std::uint8_t>(wire_[at]);
    return size() - at == suffix.size() && std::string_view(wire_).substr(at) == suffix.wire_;
}

std::string DnsName::to_text() const {
    if (wire_.size() == 1) return ".";
    std::string text;
    for (std::size_t at = 0; wire_[at] != '\0';) {
        const auto len = static_cast<std::uint8_t>(wire_[at]);
        text.append(wire_, at + 1, len);
        text.push_back('.');
        at += 1 + len;
    }
    return text;
}

}  // namespace dnsd::zones
