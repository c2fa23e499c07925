#pragma once
// The checks cache.json values go through, one per kind of field, and the words used to refuse
// them: "<path> must be <wanted>, not <found>". Values come from a streaming JSON parser, so a
// container only shows up as "an object" / "an array".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "registry/ip_address.hpp"

namespace dnsd::registry {

struct JsonScalar {
    enum class Kind { string, int64, uint64, number, boolean, null, object, array };
    Kind kind = Kind::null;
    std::string_view text;  // string: its content; number: as written
    std::int64_t int64 = 0;
    std::uint64_t uint64 = 0;
    bool boolean = false;
};

// The value as it appears in the file (strings quoted and cut short), for error messages.
std::string shown(const JsonScalar& value);

std::optional<std::string_view> as_string(const JsonScalar& value);
// Canonical (lower case): the registry compares labels in lower case.
std::optional<std::string> as_label(const JsonScalar& value);
// as_label written straight into `out`, with no string in between (a million instances have
// two labels each); false, leaving `out` unspecified, when the value is not a label.
bool assign_label(std::string& out, const JsonScalar& value);
std::optional<IpAddress> as_address(const JsonScalar& value);
std::optional<std::int64_t> as_integer(const JsonScalar& value, std::int64_t lo, std::int64_t hi);
std::optional<std::uint64_t> as_unsigned(const JsonScalar& value);

namespace wanted {
inline constexpr std::string_view string = "a string";
inline constexpr std::string_view label =
    "a DNS label (letters, digits and '-', 1 to 63 characters)";
inline constexpr std::string_view address = "an IPv4 or IPv6 address";
inline constexpr std::string_view unsigned_integer = "a non-negative integer";
inline constexpr std::string_view string_map = "an object of strings";
inline constexpr std::string_view object = "a JSON object";
inline constexpr std::string_view array = "an array";
// "an integer", or "an integer from lo to hi" when bounded.
std::string integer(std::int64_t lo, std::int64_t hi);
}  // namespace wanted

}  // namespace dnsd::registry
