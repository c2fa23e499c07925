#include "dnsd/http_query.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <boost/url/parse.hpp>

namespace dnsd {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Digits with at most one '.', starting with a digit: what from_chars(double) would accept
// beyond that ("1e3", "inf", "-1") is no duration a person writes.
bool is_plain_number(std::string_view s) {
    if (s.empty() || !is_digit(s.front()) || s.back() == '.') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == '.'; }) &&
           std::count(s.begin(), s.end(), '.') <= 1;
}

std::optional<double> unit_ms(std::string_view unit) {
    if (unit == "ms") return 1.0;
    if (unit.empty() || unit == "s") return 1'000.0;
    if (unit == "m") return 60'000.0;
    if (unit == "h") return 3'600'000.0;
    return std::nullopt;
}

std::optional<std::uint64_t> parse_index(std::string_view text) {
    std::uint64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_wait(std::string_view text) {
    const auto unit_at = std::find_if(text.begin(), text.end(),
                                      [](char c) { return !is_digit(c) && c != '.'; });
    const std::string_view number(text.begin(), unit_at);
    const std::string_view unit(unit_at, text.end());
    const auto scale = unit_ms(unit);
    if (!scale || !is_plain_number(number)) return std::nullopt;

    double value = 0;
    if (std::from_chars(number.data(), number.data() + number.size(), value).ec != std::errc())
        return std::nullopt;
    const double ms = value * *scale;
    if (!std::isfinite(ms) || ms >= static_cast<double>(kMaxWait.count())) return kMaxWait;
    return std::chrono::milliseconds(std::llround(ms));
}

BlockingQueryParse parse_blocking_query(std::string_view target) {
    const auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::string("the request target is not a valid absolute path");
    const auto params = url->params();

    const auto index_param = params.find("index");
    if (index_param == params.end()) return std::optional<BlockingQuery>{};  // wait alone: ignored
    BlockingQuery query;
    const auto index = parse_index((*index_param).value);
    if (!index) return std::string("query parameter 'index' must be a non-negative integer");
    query.index = *index;

    query.wait = kDefaultWait;
    const auto wait_param = params.find("wait");
    if (wait_param != params.end()) {
        const auto wait = parse_wait((*wait_param).value);
        if (!wait)
            return std::string(
                "query parameter 'wait' must be a duration such as 30s, 500ms or 2m");
        query.wait = *wait;
    }
    return std::optional<BlockingQuery>{query};
}

}  // namespace dnsd
