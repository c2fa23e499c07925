#include "registry/snapshot_fields.hpp"

#include <limits>

#include <boost/json/serialize.hpp>

#include "registry/names.hpp"

namespace dnsd::registry {

namespace {
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
}  // namespace

std::string shown(const JsonScalar& value) {
    // Enough to recognise the value in the file without flooding the log.
    constexpr std::size_t max_shown = 60;
    std::string text;
    switch (value.kind) {
        case JsonScalar::Kind::string:
            text = boost::json::serialize(boost::json::string_view(value.text));
            break;
        case JsonScalar::Kind::int64:
        case JsonScalar::Kind::uint64:
        case JsonScalar::Kind::number: text = value.text; break;
        case JsonScalar::Kind::boolean: text = value.boolean ? "true" : "false"; break;
        case JsonScalar::Kind::null: text = "null"; break;
        case JsonScalar::Kind::object: text = "an object"; break;
        case JsonScalar::Kind::array: text = "an array"; break;
    }
    if (text.size() > max_shown) text = text.substr(0, max_shown) + "...";
    return text;
}

std::optional<std::string_view> as_string(const JsonScalar& value) {
    if (value.kind != JsonScalar::Kind::string) return std::nullopt;
    return value.text;
}

std::optional<std::string> as_label(const JsonScalar& value) {
    if (value.kind != JsonScalar::Kind::string || !is_valid_label(value.text)) return std::nullopt;
    return canonical_label(value.text);
}

bool assign_label(std::string& out, const JsonScalar& value) {
    if (value.kind != JsonScalar::Kind::string || !is_valid_label(value.text)) return false;
    out.assign(value.text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return true;
}

std::optional<IpAddress> as_address(const JsonScalar& value) {
    if (value.kind != JsonScalar::Kind::string) return std::nullopt;
    return IpAddress::parse(value.text);
}

std::optional<std::int64_t> as_integer(const JsonScalar& value, std::int64_t lo, std::int64_t hi) {
    if (value.kind != JsonScalar::Kind::int64 || value.int64 < lo || value.int64 > hi)
        return std::nullopt;
    return value.int64;
}

std::optional<std::uint64_t> as_unsigned(const JsonScalar& value) {
    if (value.kind == JsonScalar::Kind::uint64) return value.uint64;
    if (value.kind == JsonScalar::Kind::int64 && value.int64 >= 0)
        return static_cast<std::uint64_t>(value.int64);
    return std::nullopt;
}

std::string wanted::integer(std::int64_t lo, std::int64_t hi) {
    if (lo == int64_min && hi == int64_max) return "an integer";
    return "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
}

}  // namespace dnsd::registry
