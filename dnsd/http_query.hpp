#pragma once
// The query string of the reads: ?index=N&wait=30s, a blocking query as Consul has them.
// The reader remembers the index it saw (X-Dnsd-Index) and asks again with it; dnsd holds the
// request while the index is still N, until the wait ends.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace dnsd {

inline constexpr std::chrono::milliseconds kMaxWait{10 * 60 * 1000};     // longer: capped
inline constexpr std::chrono::milliseconds kDefaultWait{5 * 60 * 1000};  // index without wait

struct BlockingQuery {
    std::uint64_t index = 0;
    std::chrono::milliseconds wait{0};
};

// "500ms", "30s", "2m", "1h", or a bare number of seconds; fractions allowed ("1.5s").
// Longer than kMaxWait is capped to it. nullopt: not a duration.
std::optional<std::chrono::milliseconds> parse_wait(std::string_view text);

// nullopt when the target asks for no blocking (no index); a string: the error sentence.
using BlockingQueryParse = std::variant<std::optional<BlockingQuery>, std::string>;
BlockingQueryParse parse_blocking_query(std::string_view target);

}  // namespace dnsd
