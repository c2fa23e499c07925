// The health state machine of one instance: probe outcomes and heartbeat renewals.
#include "dnsd/health_state.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

registry::InstanceSpec checked(std::int64_t deregister_after_ms = 0) {
    registry::InstanceSpec s;
    s.service = "api";
    s.id = "a1";
    s.port = 8861;
    s.node = "n1";
    s.check = registry::HealthCheck{registry::CheckKind::tcp, "10.0.0.3:8861", 1'000, 500, deregister_after_ms};
    return s;
}

TEST(HealthState, FailureMakesCriticalWithTheReasonAndWhen) {
    const auto effect = after_probe(checked(), ProbeOutcome::fail("connection refused"), 5'000);
    EXPECT_FALSE(effect.deregister);
    EXPECT_TRUE(effect.spec.health->critical());
    EXPECT_EQ(effect.spec.health->output, "connection refused");
    EXPECT_EQ(effect.spec.health->critical_since_ms, 5'000);
}

TEST(HealthState, LaterFailuresKeepWhenItBecameCritical) {
    auto first = after_probe(checked(), ProbeOutcome::fail("refused"), 5'000);
    auto second = after_probe(first.spec, ProbeOutcome::fail("timed out"), 9'000);
    EXPECT_EQ(second.spec.health->critical_since_ms, 5'000);
    EXPECT_EQ(second.spec.health->output, "timed out");
}

TEST(HealthState, PassAfterFailureIsPassingAgain) {
    auto failed = after_probe(checked(), ProbeOutcome::fail("refused"), 5'000);
    auto passed = after_probe(failed.spec, ProbeOutcome::pass(), 6'000);
    EXPECT_FALSE(passed.spec.health->critical());
    EXPECT_EQ(passed.spec.health, registry::HealthState{});
    EXPECT_EQ(passed.spec, checked());  // nothing else of the instance moved
}

TEST(HealthState, CriticalForDeregisterAfterDeregisters) {
    auto s = after_probe(checked(3'000), ProbeOutcome::fail("refused"), 10'000);
    EXPECT_FALSE(s.deregister);
    EXPECT_FALSE(after_probe(s.spec, ProbeOutcome::fail("refused"), 12'999).deregister);
    EXPECT_TRUE(after_probe(s.spec, ProbeOutcome::fail("refused"), 13'000).deregister);
    // Without deregister_after a critical instance stays, however long.
    auto forever = after_probe(checked(0), ProbeOutcome::fail("refused"), 10'000);
    EXPECT_FALSE(after_probe(forever.spec, ProbeOutcome::fail("refused"), 1'000'000'000).deregister);
}

TEST(HealthState, RenewalKeepsTheHealthOfAnInstanceWithACheck) {
    registry::Instance existing;
    existing.spec = after_probe(checked(), ProbeOutcome::fail("refused"), 5'000).spec;
    registry::InstanceSpec renewal = checked();  // as the heartbeat parser makes it: passing
    carry_health(renewal, &existing, 9'000);
    EXPECT_TRUE(renewal.health->critical());
    EXPECT_EQ(renewal.health, existing.spec.health);
}

TEST(HealthState, NewCheckStartsCriticalUntilTheFirstProbe) {
    registry::InstanceSpec fresh = checked();
    carry_health(fresh, nullptr, 9'000);
    EXPECT_TRUE(fresh.health->critical());
    EXPECT_EQ(fresh.health->output, kAwaitingFirstProbe);
    EXPECT_EQ(fresh.health->critical_since_ms, 9'000);

    registry::Instance without_check;  // a check added to a known instance: the same
    without_check.spec = checked();
    without_check.spec.check = registry::HealthCheck{};
    registry::InstanceSpec added = checked();
    carry_health(added, &without_check, 9'000);
    EXPECT_TRUE(added.health->critical());
}

TEST(HealthState, HeartbeatWithoutCheckIsPassing) {
    registry::Instance existing;
    existing.spec = after_probe(checked(), ProbeOutcome::fail("refused"), 5'000).spec;
    registry::InstanceSpec plain = checked();
    plain.check = registry::HealthCheck{};
    plain.health = existing.spec.health;
    carry_health(plain, &existing, 9'000);
    EXPECT_FALSE(plain.health->critical());
}

}  // namespace
}  // namespace dnsd
