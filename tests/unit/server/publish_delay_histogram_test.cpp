#include "dnsd/publish_delay_histogram.hpp"

#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace dnsd {
namespace {

using namespace std::chrono_literals;

TEST(PublishDelayHistogram, CountsIntoTheFirstBucketThatHoldsTheDelay) {
    PublishDelayHistogram h;
    h.observe(30us);   // <= 50 us
    h.observe(100us);  // == 100 us: "le" includes the bound
    h.observe(700us);  // <= 1 ms
    h.observe(3s);     // above every bound: +Inf only
    EXPECT_EQ(h.count(), 4u);
    EXPECT_EQ(h.cumulative(0), 1u);
    EXPECT_EQ(h.cumulative(1), 2u);
    EXPECT_EQ(h.cumulative(3), 2u);  // 500 us
    EXPECT_EQ(h.cumulative(4), 3u);  // 1 ms
    EXPECT_EQ(h.cumulative(PublishDelayHistogram::kBounds.size() - 1), 3u);
    EXPECT_NEAR(h.sum_seconds(), 3.00083, 1e-9);
}

TEST(PublishDelayHistogram, RendersAPrometheusHistogram) {
    PublishDelayHistogram h;
    h.observe(200us);
    h.observe(2ms);
    std::string text = "previous\n";
    h.render(text);
    EXPECT_EQ(text.rfind("previous\n# HELP dnsd_publish_delay_seconds ", 0), 0u) << text;
    EXPECT_NE(text.find("\n# TYPE dnsd_publish_delay_seconds histogram\n"), std::string::npos);
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_bucket{le=\"5e-05\"} 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_bucket{le=\"0.00025\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_bucket{le=\"0.0025\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_sum 0.0022\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\ndnsd_publish_delay_seconds_count 2\n"), std::string::npos);

    // Every sample line is `name{le="bound"} integer` or `name_sum float`, buckets rising.
    static const std::regex kLine(
        R"re(dnsd_publish_delay_seconds_(bucket\{le="([0-9.e+-]+|\+Inf)"\} ([0-9]+)|sum [0-9.e+-]+|count [0-9]+))re");
    std::istringstream lines(text);
    std::string line;
    std::uint64_t last = 0;
    int buckets = 0;
    while (std::getline(lines, line)) {
        if (line == "previous" || line.rfind("# ", 0) == 0) continue;
        std::smatch m;
        ASSERT_TRUE(std::regex_match(line, m, kLine)) << line;
        if (m[3].matched) {
            const auto n = std::stoull(m[3]);
            EXPECT_GE(n, last) << line;
            last = n;
            ++buckets;
        }
    }
    EXPECT_EQ(buckets, static_cast<int>(PublishDelayHistogram::kBounds.size()) + 1);
}

}  // namespace
}  // namespace dnsd
