#include "dnsd/http_query.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

using std::chrono::milliseconds;

TEST(ParseWait, UnitsAndBareSeconds) {
    EXPECT_EQ(parse_wait("500ms"), milliseconds(500));
    EXPECT_EQ(parse_wait("30s"), milliseconds(30'000));
    EXPECT_EQ(parse_wait("2m"), milliseconds(120'000));
    EXPECT_EQ(parse_wait("30"), milliseconds(30'000));
    EXPECT_EQ(parse_wait("1.5s"), milliseconds(1'500));
    EXPECT_EQ(parse_wait("0.25"), milliseconds(250));
    EXPECT_EQ(parse_wait("0"), milliseconds(0));
    EXPECT_EQ(parse_wait("0ms"), milliseconds(0));
}

TEST(ParseWait, CappedAtTenMinutes) {
    EXPECT_EQ(parse_wait("10m"), kMaxWait);
    EXPECT_EQ(parse_wait("11m"), kMaxWait);
    EXPECT_EQ(parse_wait("1h"), kMaxWait);
    EXPECT_EQ(parse_wait("99999999999999999999999"), kMaxWait);
    EXPECT_EQ(parse_wait("599s"), milliseconds(599'000));
}

TEST(ParseWait, RejectsWhatIsNoDuration) {
    for (std::string_view bad : {"", "s", "-1s", "+1s", "1e3", "inf", "nan", "1.2.3s", ".5s",
                                 "5.s", "30 s", "30sec", "1d", "abc", "5ms5"})
        EXPECT_FALSE(parse_wait(bad).has_value()) << "'" << bad << "'";
}

std::optional<BlockingQuery> query(std::string_view target) {
    auto parsed = parse_blocking_query(target);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        ADD_FAILURE() << target << ": " << *error;
        return std::nullopt;
    }
    return std::get<std::optional<BlockingQuery>>(parsed);
}

std::string query_error(std::string_view target) {
    auto parsed = parse_blocking_query(target);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    ADD_FAILURE() << target << " was accepted";
    return {};
}

TEST(ParseBlockingQuery, NoIndexMeansNoBlocking) {
    EXPECT_FALSE(query("/v1/services").has_value());
    EXPECT_FALSE(query("/v1/services?wait=5s").has_value());  // wait alone: as Consul, ignored
    EXPECT_FALSE(query("/v1/services?foo=bar").has_value());
}

TEST(ParseBlockingQuery, IndexAndWait) {
    const auto q = query("/v1/services/api?index=42&wait=30s");
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->index, 42u);
    EXPECT_EQ(q->wait, milliseconds(30'000));

    const auto reversed = query("/v1/services?wait=500ms&index=7&other=1");
    ASSERT_TRUE(reversed.has_value());
    EXPECT_EQ(reversed->index, 7u);
    EXPECT_EQ(reversed->wait, milliseconds(500));
}

TEST(ParseBlockingQuery, IndexWithoutWaitWaitsTheDefault) {
    const auto q = query("/v1/services?index=3");
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->wait, kDefaultWait);
}

TEST(ParseBlockingQuery, LargestIndex) {
    const auto q = query("/v1/services?index=18446744073709551615");
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->index, 18446744073709551615u);
}

TEST(ParseBlockingQuery, BadValuesAreErrors) {
    const std::string index_rule = "query parameter 'index' must be a non-negative integer";
    EXPECT_EQ(query_error("/v1/services?index="), index_rule);
    EXPECT_EQ(query_error("/v1/services?index"), index_rule);
    EXPECT_EQ(query_error("/v1/services?index=-1"), index_rule);
    EXPECT_EQ(query_error("/v1/services?index=1x"), index_rule);
    EXPECT_EQ(query_error("/v1/services?index=18446744073709551616"), index_rule);
    EXPECT_EQ(query_error("/v1/services?index=1&wait=soon"),
              "query parameter 'wait' must be a duration such as 30s, 500ms or 2m");
    EXPECT_EQ(query_error("/v1/services?index=1&wait="),
              "query parameter 'wait' must be a duration such as 30s, 500ms or 2m");
}

}  // namespace
}  // namespace dnsd
