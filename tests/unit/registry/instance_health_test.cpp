// The health-check fields of an instance (instance.hpp) through gossip messages and cache.json:
// carried when present, absent when not, and old messages and files without them still load.
#include <gtest/gtest.h>

#include "registry/gossip_message_json.hpp"
#include "registry/registry.hpp"
#include "registry/snapshot_decode.hpp"
#include "registry/snapshot_encode.hpp"
#include "instance_spec.hpp"

namespace dnsd::registry {
namespace {

InstanceSpec checked_spec(Health health) {
    InstanceSpec s = test::instance_spec("api", "a1", 40'000);
    s.node = "n1";
    s.check = HealthCheck{CheckKind::http, "http://10.0.0.3:8861/status", 10'000, 2'000, 300'000};
    if (health == Health::critical) s.health = HealthState{Health::critical, "HTTP 503 Service Unavailable", 1'770'000'000'123};
    return s;
}

std::optional<InstanceSpec> through_gossip(const InstanceSpec& spec) {
    const Push push{NodeInfo{"n1", "10.0.0.1:8054", 1, 1, 1}, 2, ChangeSet{0, 1, {InstanceCopy{spec, 5, 6}}, {}}};
    auto decoded = decode_gossip(encode_gossip(push));
    if (!std::holds_alternative<GossipMessage>(decoded)) {
        ADD_FAILURE() << std::get<GossipDecodeError>(decoded).reason;
        return std::nullopt;
    }
    return std::get<Push>(std::get<GossipMessage>(decoded)).changes.instances.at(0).spec;
}

std::optional<InstanceSpec> through_snapshot(const InstanceSpec& spec) {
    ManualClock clock;
    Registry registry(clock);
    registry.renew(spec, 5);
    const auto result = decode_snapshot(encode_snapshot(registry));
    if (!result.ok()) {
        ADD_FAILURE() << result.error;
        return std::nullopt;
    }
    return result.data.instances.at(0).spec;
}

TEST(InstanceHealth, SpecsDifferingOnlyInHealthAreDifferent) {
    EXPECT_NE(checked_spec(Health::passing), checked_spec(Health::critical));
    InstanceSpec other_check = checked_spec(Health::passing);
    other_check.check.edit().interval_ms = 20'000;
    EXPECT_NE(other_check, checked_spec(Health::passing));
}

TEST(InstanceHealth, GossipCarriesCheckAndCriticalState) {
    for (Health h : {Health::passing, Health::critical}) {
        const auto back = through_gossip(checked_spec(h));
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, checked_spec(h));
    }
}

TEST(InstanceHealth, GossipOfAnInstanceWithoutCheckHasNoHealthFields) {
    const InstanceSpec plain = test::instance_spec("api", "a2");
    const std::string body =
        encode_gossip(Push{NodeInfo{"n1", "x:1", 1, 1, 1}, 2, ChangeSet{0, 1, {InstanceCopy{plain, 5, 6}}, {}}});
    EXPECT_EQ(body.find("check_kind"), std::string::npos);
    EXPECT_EQ(body.find("health_status"), std::string::npos);
    const auto back = through_gossip(plain);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, plain);
}

TEST(InstanceHealth, GossipRefusesAnUnknownCheckKind) {
    std::string body = encode_gossip(
        Push{NodeInfo{"n1", "x:1", 1, 1, 1}, 2, ChangeSet{0, 1, {InstanceCopy{checked_spec(Health::passing), 5, 6}}, {}}});
    body.replace(body.find("\"http\""), 6, "\"ftp\"");
    auto decoded = decode_gossip(body);
    ASSERT_TRUE(std::holds_alternative<GossipDecodeError>(decoded));
    EXPECT_NE(std::get<GossipDecodeError>(decoded).reason.find("check_kind"), std::string::npos);
}

TEST(InstanceHealth, SnapshotCarriesCheckAndCriticalState) {
    for (Health h : {Health::passing, Health::critical}) {
        const auto back = through_snapshot(checked_spec(h));
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, checked_spec(h));
    }
}

TEST(InstanceHealth, SnapshotWithoutHealthFieldsStillLoads) {
    // A cache.json written before health checks existed.
    const std::string old_file = R"({"format_version":1,"written_wall_ms":1770000000000,"index":3,
"instances":[{"service":"api","id":"a1","address":"10.0.0.3","port":8861,"version":"","weight":100,
"priority":0,"meta":{},"ttl_ms":30000,"node":"n1","src_ts_ms":5,"remaining_ms":20000}],
"tombstones":[],"known_services":[]})";
    const auto result = decode_snapshot(old_file);
    ASSERT_TRUE(result.ok()) << result.error;
    ASSERT_EQ(result.data.instances.size(), 1u);
    EXPECT_FALSE(result.data.instances[0].spec.check->present());
    EXPECT_FALSE(result.data.instances[0].spec.health->critical());
}

TEST(InstanceHealth, SnapshotRefusesABadHealthValue) {
    ManualClock clock;
    Registry registry(clock);
    registry.renew(checked_spec(Health::critical), 5);
    std::string text = encode_snapshot(registry);
    text.replace(text.find("\"critical\""), 10, "\"sick\"");
    const auto result = decode_snapshot(text);
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error.find("instances[0].health_status"), std::string::npos) << result.error;
}

// What /metrics reports as dnsd_health_critical_instances, kept by the registry as instances
// change; after every step it must equal a walk over the registry.
std::size_t critical_by_walk(const Registry& registry) {
    std::size_t n = 0;
    for (const auto& [name, service] : registry.services())
        for (const auto& [id, instance] : service.instances) n += instance.spec.health->critical();
    return n;
}

TEST(InstanceHealth, TheRegistryCountsCriticalInstancesThroughEveryChange) {
    ManualClock clock;
    Registry registry(clock);
    std::int64_t ts = 10;
    auto spec = [](const char* id, Health h) {
        InstanceSpec s = checked_spec(h);
        s.id = id;
        return s;
    };
    auto expect = [&](std::size_t n, const char* step) {
        EXPECT_EQ(registry.critical_instance_count(), n) << step;
        EXPECT_EQ(registry.critical_instance_count(), critical_by_walk(registry)) << step;
    };
    registry.renew(spec("a1", Health::passing), ++ts);
    expect(0, "created passing");
    registry.renew(spec("a1", Health::critical), ++ts);
    expect(1, "updated to critical");
    registry.renew(spec("a1", Health::critical), ++ts);
    expect(1, "renewed, still critical");
    registry.renew(spec("a2", Health::critical), ++ts);
    expect(2, "created critical");
    registry.renew(spec("a1", Health::passing), ++ts);
    expect(1, "back to passing");
    registry.deregister("api", "a2");
    expect(0, "critical one deregistered");
    registry.merge(spec("a3", Health::critical), ++ts, 0);
    expect(1, "critical copy from a peer");
    registry.merge(spec("a3", Health::passing), ++ts, 0);
    expect(0, "passing copy from a peer");
    registry.renew(spec("a4", Health::critical), ++ts);
    expect(1, "another critical");
    clock.advance_ms(60'000);  // past every 40 s lease
    registry.sweep();
    expect(0, "expired");
    EXPECT_EQ(registry.instance_count(), 0u);

    Registry restored(clock);
    restored.restore_instance(spec("b1", Health::critical), 5, 10'000);
    restored.restore_instance(spec("b1", Health::passing), 6, 10'000);  // same key: the later wins
    restored.restore_instance(spec("b2", Health::critical), 5, 10'000);
    restored.finish_restore();
    EXPECT_EQ(restored.critical_instance_count(), 1u);
    EXPECT_EQ(restored.critical_instance_count(), critical_by_walk(restored));
}

}  // namespace
}  // namespace dnsd::registry
