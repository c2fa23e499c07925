#include "dnsd/nginx_reload_schedule.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

constexpr ReloadTiming kScheduleTiming{.debounce_ms = 1000, .first_retry_ms = 500, .max_retry_ms = 4000};

TEST(NginxReloadSchedule, NothingToDoUntilAChange) {
    ReloadSchedule s(kScheduleTiming);
    EXPECT_FALSE(s.next_start());
    EXPECT_FALSE(s.start(1'000'000));
}

TEST(NginxReloadSchedule, ABurstOfChangesGivesOneRunAfterTheDebounce) {
    ReloadSchedule s(kScheduleTiming);
    s.changed(0);
    s.changed(300);
    s.changed(900);
    ASSERT_TRUE(s.next_start());
    EXPECT_EQ(*s.next_start(), 1000);  // from the first change: a stream of changes cannot starve it
    EXPECT_FALSE(s.start(999));
    EXPECT_TRUE(s.start(1000));
    EXPECT_FALSE(s.start(1000));  // one at a time
    s.finished(true, 1100);
    EXPECT_FALSE(s.next_start());
    EXPECT_EQ(s.failures(), 0u);
}

TEST(NginxReloadSchedule, NeverTwoRunsAtOnceAndAChangeDuringARunGetsItsOwn) {
    ReloadSchedule s(kScheduleTiming);
    s.changed(0);
    ASSERT_TRUE(s.start(1000));
    s.changed(1200);  // the run in flight may have read the files before this change
    EXPECT_FALSE(s.next_start());
    EXPECT_FALSE(s.start(5000));
    s.finished(true, 1500);
    ASSERT_TRUE(s.next_start());
    EXPECT_EQ(*s.next_start(), 2200);
    EXPECT_TRUE(s.start(2200));
}

TEST(NginxReloadSchedule, AFailureIsRetriedWithABackoffThatDoublesUpToTheMaximum) {
    ReloadSchedule s(kScheduleTiming);
    s.changed(0);
    std::int64_t now = 1000;
    const std::int64_t expected_delays[] = {500, 1000, 2000, 4000, 4000};
    for (std::int64_t delay : expected_delays) {
        ASSERT_TRUE(s.start(now));
        s.finished(false, now + 10);
        ASSERT_TRUE(s.next_start());
        EXPECT_EQ(*s.next_start(), now + 10 + delay);
        now = *s.next_start();
    }
    EXPECT_EQ(s.failures(), 5u);
    ASSERT_TRUE(s.start(now));
    s.finished(true, now);
    EXPECT_EQ(s.failures(), 0u);
    EXPECT_FALSE(s.next_start());
    s.changed(now);  // the backoff starts over after a success
    ASSERT_TRUE(s.start(now + 1000));
    s.finished(false, now + 1000);
    EXPECT_EQ(*s.next_start(), now + 1500);
}

TEST(NginxReloadSchedule, AChangeDuringABackoffDoesNotShortenIt) {
    ReloadSchedule s(kScheduleTiming);
    s.changed(0);
    ASSERT_TRUE(s.start(1000));
    s.finished(false, 1000);  // retry at 1500
    s.changed(1100);
    EXPECT_EQ(*s.next_start(), 1500);
    ASSERT_TRUE(s.start(1500));
    s.changed(1600);  // during the retry, which then fails: retry after max(debounce, backoff)
    s.finished(false, 1700);
    EXPECT_EQ(*s.next_start(), 2700);
}

}  // namespace
}  // namespace dnsd
