#pragma once
// Transparent hashing for maps keyed by std::string: the query path looks them up with a
// std::string_view into its stack buffer, so no key string is ever built per query.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace dnsd::zones {

struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

using NameEqual = std::equal_to<>;

}  // namespace dnsd::zones
