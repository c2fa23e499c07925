// The checker end to end without sockets: a made-up probe, the registry on a ManualClock, and
// the io_context polled by hand. Moving the clock and calling run_due() stands for the timer.
#include "dnsd/health_checker.hpp"

#include <map>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "dnsd/health_state.hpp"

namespace dnsd {
namespace {

namespace asio = boost::asio;

class HealthCheckerTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry registry{clock};
    asio::io_context io;
    std::map<std::string, ProbeOutcome> outcomes;  // by check target; missing: passing
    int probes_run = 0;
    HealthChecker checker{io, registry, "n1", [this] { commit(); },
                          [this](registry::HealthCheck check) -> asio::awaitable<ProbeOutcome> {
                              ++probes_run;
                              auto it = outcomes.find(check.target);
                              co_return it == outcomes.end() ? ProbeOutcome::pass() : it->second;
                          }};

    // What Node::commit does for the checker.
    void commit() { checker.changed(registry.take_changed()); }

    void settle() {
        io.restart();
        for (int i = 0; i < 100 && io.poll() > 0; ++i) {
        }
    }

    // A heartbeat as the HTTP handler takes it.
    void heartbeat(const std::string& id, std::int64_t deregister_after_ms = 0, const std::string& node = "n1") {
        registry::InstanceSpec s;
        s.service = "api";
        s.id = id;
        s.address = *registry::IpAddress::parse("10.0.0.3");
        s.port = 8861;
        s.node = node;
        s.ttl_ms = 3'500;
        s.check = registry::HealthCheck{registry::CheckKind::tcp, id + ":1", 1'000, 500, deregister_after_ms};
        carry_health(s, registry.find("api", id), clock.wall_ms());
        registry.renew(s);
        commit();
    }

    const registry::Instance* instance(const std::string& id) { return registry.find("api", id); }

    void advance_and_probe(std::int64_t ms) {
        clock.advance_ms(ms);
        checker.run_due();
        settle();
    }

    void SetUp() override { checker.start(); }
};

TEST_F(HealthCheckerTest, NewCheckStartsCriticalAndIsProbedAtOnce) {
    heartbeat("a");
    EXPECT_TRUE(instance("a")->spec.health->critical());
    EXPECT_EQ(instance("a")->spec.health->output, kAwaitingFirstProbe);
    const auto index = registry.index();
    settle();
    EXPECT_EQ(probes_run, 1);
    EXPECT_FALSE(instance("a")->spec.health->critical());
    EXPECT_GT(registry.index(), index);  // a real change: the zone is rebuilt
    EXPECT_EQ(checker.counters().probes, 1u);
}

TEST_F(HealthCheckerTest, FailingProbeMakesCriticalAndPassingBringsItBack) {
    heartbeat("a");
    settle();
    outcomes["a:1"] = ProbeOutcome::fail("connect to 10.0.0.3:8861 failed: Connection refused");
    const auto before = registry.index();
    advance_and_probe(1'000);
    ASSERT_TRUE(instance("a"));
    EXPECT_TRUE(instance("a")->spec.health->critical());
    EXPECT_EQ(instance("a")->spec.health->output, "connect to 10.0.0.3:8861 failed: Connection refused");
    EXPECT_GT(registry.index(), before);
    EXPECT_EQ(checker.counters().probes_failed, 1u);

    // Still failing: no further change to the registry index.
    const auto critical_index = registry.index();
    advance_and_probe(1'000);
    EXPECT_EQ(registry.index(), critical_index);

    outcomes.erase("a:1");
    advance_and_probe(1'000);
    EXPECT_FALSE(instance("a")->spec.health->critical());
    EXPECT_GT(registry.index(), critical_index);
}

TEST_F(HealthCheckerTest, NotDueNotProbed) {
    heartbeat("a");
    settle();
    advance_and_probe(999);
    EXPECT_EQ(probes_run, 1);
    advance_and_probe(1);
    EXPECT_EQ(probes_run, 2);
}

TEST_F(HealthCheckerTest, CriticalForDeregisterAfterLeavesATombstone) {
    heartbeat("a", 2'000);
    settle();
    outcomes["a:1"] = ProbeOutcome::fail("refused");
    advance_and_probe(1'000);  // critical from here
    advance_and_probe(1'000);
    ASSERT_TRUE(instance("a"));
    advance_and_probe(1'000);  // two seconds critical
    EXPECT_EQ(instance("a"), nullptr);
    EXPECT_EQ(registry.tombstones().count({"api", "a"}), 1u);
    EXPECT_EQ(registry.deregistered_total(), 1u);
    EXPECT_EQ(checker.schedule().size(), 0u);
}

TEST_F(HealthCheckerTest, ProbesKeepTheLeaseAliveWithoutHeartbeats) {
    heartbeat("a");  // lease 3.5 s
    settle();
    for (int i = 0; i < 10; ++i) advance_and_probe(1'000);
    EXPECT_EQ(registry.sweep(), 0u);
    ASSERT_TRUE(instance("a"));
    EXPECT_FALSE(instance("a")->expired(clock.mono_ms()));
    // A critical instance is kept too (Consul: it stays registered, out of DNS).
    outcomes["a:1"] = ProbeOutcome::fail("refused");
    for (int i = 0; i < 10; ++i) advance_and_probe(1'000);
    EXPECT_EQ(registry.sweep(), 0u);
    EXPECT_TRUE(instance("a")->spec.health->critical());
}

TEST_F(HealthCheckerTest, WithoutProbesTheLeaseRunsOut) {
    heartbeat("a");
    settle();
    checker.stop();
    clock.advance_ms(3'501);
    EXPECT_EQ(registry.sweep(), 1u);
}

TEST_F(HealthCheckerTest, HeartbeatRenewalKeepsCritical) {
    heartbeat("a");
    settle();
    outcomes["a:1"] = ProbeOutcome::fail("refused");
    advance_and_probe(1'000);
    const auto index = registry.index();
    heartbeat("a");  // the instance renews its own lease
    EXPECT_TRUE(instance("a")->spec.health->critical());
    EXPECT_EQ(registry.index(), index);  // a lease-only renewal
}

TEST_F(HealthCheckerTest, OnlyTheNodeThatTookTheRegistrationProbes) {
    heartbeat("b", 0, "n2");
    settle();
    EXPECT_EQ(probes_run, 0);
    EXPECT_EQ(checker.schedule().size(), 0u);
    heartbeat("b");  // taken over by this node
    settle();
    EXPECT_EQ(probes_run, 1);
    heartbeat("b", 0, "n2");  // and given away again
    EXPECT_EQ(checker.schedule().size(), 0u);
}

// Commits name the instances that changed (registry::ChangedServices): the schedule follows
// each of them, and a service changed whole (past the list's limit) is walked again.
TEST_F(HealthCheckerTest, TheScheduleFollowsEachChangedInstance) {
    heartbeat("a");
    heartbeat("b");
    EXPECT_TRUE(checker.schedule().contains({"api", "a"}));
    EXPECT_TRUE(checker.schedule().contains({"api", "b"}));
    registry.deregister("api", "a");
    commit();
    EXPECT_FALSE(checker.schedule().contains({"api", "a"}));
    EXPECT_TRUE(checker.schedule().contains({"api", "b"}));

    registry::InstanceSpec unchecked = instance("b")->spec;  // the check taken away
    unchecked.check = registry::HealthCheck{};
    registry.renew(unchecked);
    commit();
    EXPECT_EQ(checker.schedule().size(), 0u);

    // Forty registrations between two commits: the service comes whole, every check is found.
    for (int i = 0; i < 40; ++i) {
        registry::InstanceSpec s = unchecked;
        s.id = "n" + std::to_string(i);
        s.check = registry::HealthCheck{registry::CheckKind::tcp, s.id + ":1", 1'000, 500, 0};
        registry.renew(s);
    }
    const registry::ChangedServices changed = registry.take_changed();
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_TRUE(changed.begin()->second.whole);
    checker.changed(changed);
    EXPECT_EQ(checker.schedule().size(), 40u);
}

TEST_F(HealthCheckerTest, ProbeAllRunsEveryCheckNow) {
    heartbeat("a");
    heartbeat("b");
    settle();
    EXPECT_EQ(probes_run, 2);
    outcomes["b:1"] = ProbeOutcome::fail("refused");
    checker.probe_all();  // no time has passed: nothing was due
    settle();
    EXPECT_EQ(probes_run, 4);
    EXPECT_TRUE(instance("b")->spec.health->critical());
}

TEST_F(HealthCheckerTest, StartSpreadsTheFirstProbesOverAnInterval) {
    checker.stop();
    for (int i = 0; i < 20; ++i) {
        registry::InstanceSpec s;
        s.service = "api";
        s.id = "i" + std::to_string(i);
        s.address = *registry::IpAddress::parse("10.0.0.3");
        s.port = 8861;
        s.node = "n1";
        s.check = registry::HealthCheck{registry::CheckKind::tcp, s.id + ":1", 1'000, 500, 0};
        registry.renew(s);
    }
    registry.take_changed();
    HealthChecker restarted{io, registry, "n1", [] {},
                            [this](registry::HealthCheck) -> asio::awaitable<ProbeOutcome> {
                                ++probes_run;
                                co_return ProbeOutcome::pass();
                            }};
    restarted.start();
    EXPECT_EQ(restarted.schedule().size(), 20u);
    ASSERT_TRUE(restarted.schedule().next_due());
    restarted.run_due();
    settle();
    EXPECT_LT(probes_run, 20);  // not everything at once
    clock.advance_ms(1'000);
    restarted.run_due();
    settle();
    EXPECT_EQ(probes_run, 20);  // but everything within one interval
    restarted.stop();
}

TEST_F(HealthCheckerTest, OutcomeForAChangedCheckIsDropped) {
    heartbeat("a");
    // The check changes before the first probe's outcome is applied.
    registry::InstanceSpec s = instance("a")->spec;
    s.check.edit().target = "a:2";
    outcomes["a:2"] = ProbeOutcome::fail("refused");
    registry.renew(s);
    commit();
    settle();
    EXPECT_TRUE(instance("a")->spec.health->critical());
    EXPECT_EQ(instance("a")->spec.health->output, "refused");
}

}  // namespace
}  // namespace dnsd
