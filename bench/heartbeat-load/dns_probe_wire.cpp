#include "dns_probe_wire.hpp"

namespace hbload {

namespace {
void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
}
std::uint16_t get16(std::span<const std::uint8_t> m, std::size_t at) {
    return static_cast<std::uint16_t>((m[at] << 8) | m[at + 1]);
}
}  // namespace

std::vector<std::uint8_t> make_a_query(std::uint16_t id, std::string_view name) {
    std::vector<std::uint8_t> out;
    out.reserve(12 + name.size() + 6);
    put16(out, id);
    put16(out, 0);  // QUERY, RD clear
    put16(out, 1);  // QDCOUNT
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    while (!name.empty()) {
        const auto dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        out.push_back(static_cast<std::uint8_t>(label.size()));
        out.insert(out.end(), label.begin(), label.end());
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    }
    out.push_back(0);
    put16(out, 1);  // A
    put16(out, 1);  // IN
    return out;
}

std::optional<ReplySummary> summarize_reply(std::span<const std::uint8_t> message) {
    if (message.size() < 12) return std::nullopt;
    const std::uint16_t flags = get16(message, 2);
    if ((flags & 0x8000) == 0) return std::nullopt;
    return ReplySummary{get16(message, 0), static_cast<std::uint8_t>(flags & 0x000f),
                        get16(message, 6)};
}

}  // namespace hbload
