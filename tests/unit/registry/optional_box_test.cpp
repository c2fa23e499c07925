// OptionalBox: InstanceSpec's health check and state kept out of line, null while default.
#include "registry/optional_box.hpp"

#include <gtest/gtest.h>

#include "registry/instance.hpp"

namespace dnsd::registry {
namespace {

HealthCheck tcp_check() { return {CheckKind::tcp, "10.0.0.1:80", 1'000, 500, 0}; }

TEST(OptionalBox, DefaultReadsAsDefaultWithoutAllocating) {
    const OptionalBox<HealthCheck> box;
    EXPECT_FALSE(box->present());
    EXPECT_EQ(*box, HealthCheck{});
    EXPECT_FALSE(box.allocated());
}

TEST(OptionalBox, ReadingThroughANonConstBoxDoesNotAllocate) {
    InstanceSpec spec;
    EXPECT_FALSE(spec.health->critical());
    EXPECT_FALSE(spec.check->present());
    EXPECT_FALSE(spec.health.allocated());
    EXPECT_FALSE(spec.check.allocated());
}

TEST(OptionalBox, AssigningTheDefaultFreesTheValue) {
    OptionalBox<HealthCheck> box = tcp_check();
    EXPECT_TRUE(box.allocated());
    EXPECT_EQ(box->target, "10.0.0.1:80");
    box = HealthCheck{};
    EXPECT_FALSE(box.allocated());
    EXPECT_FALSE(box->present());
}

TEST(OptionalBox, CopiesAreDeepAndCompareByValue) {
    OptionalBox<HealthCheck> a = tcp_check();
    OptionalBox<HealthCheck> b = a;
    b.edit().interval_ms = 2'000;
    EXPECT_EQ(a->interval_ms, 1'000);
    EXPECT_NE(a, b);
    b.edit().interval_ms = 1'000;
    EXPECT_EQ(a, b);
    EXPECT_EQ(a, tcp_check());
    // An allocated default equals an empty box: equality is by value, not by pointer.
    OptionalBox<HealthState> edited;
    edited.edit();
    EXPECT_EQ(edited, OptionalBox<HealthState>{});
}

TEST(OptionalBox, SpecsCompareTheirHealthByValue) {
    InstanceSpec a;
    InstanceSpec b;
    b.health = HealthState{Health::critical, "refused", 5'000};
    EXPECT_NE(a, b);
    b.health = HealthState{};
    EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace dnsd::registry
