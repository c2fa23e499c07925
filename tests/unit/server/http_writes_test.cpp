#include "dnsd/http_writes.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "registry/clock.hpp"

namespace dnsd {
namespace {

namespace json = boost::json;

class HttpWrites : public ::testing::Test {
protected:
    HeartbeatRequest request(std::string_view body) {
        auto parsed = parse_heartbeat(body, *registry::IpAddress::parse("10.0.0.9"), {30, "n1"});
        EXPECT_TRUE(std::holds_alternative<HeartbeatRequest>(parsed));
        return std::holds_alternative<HeartbeatRequest>(parsed)
                   ? std::get<HeartbeatRequest>(parsed)
                   : HeartbeatRequest{};
    }
    json::object body(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

    registry::ManualClock clock;
    registry::Registry registry{clock};
    Metrics metrics;
};

TEST_F(HttpWrites, SingleHeartbeatAnswersInSpecFormat) {
    const HttpReply reply = apply_heartbeats(
        registry, metrics, request(R"({"service": "api", "port": 8861, "id": "api-1"})"));
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.body,
              R"({"status":"ok","service":"api","id":"api-1","ttl":30,"result":"created","index":)" +
                  std::to_string(registry.index()) + "}\n");
    EXPECT_NE(registry.find("api", "api-1"), nullptr);
    EXPECT_EQ(registry.find("api", "api-1")->spec.node, "n1");
    EXPECT_EQ(metrics.heartbeats("created"), 1u);
}

TEST_F(HttpWrites, RepeatedHeartbeatRenewsWithoutNewIndex) {
    const auto hb = request(R"({"service": "api", "port": 8861})");
    apply_heartbeats(registry, metrics, hb);
    const auto index = registry.index();
    clock.advance_ms(1'000);
    const json::object second = body(apply_heartbeats(registry, metrics, hb));
    EXPECT_EQ(second.at("result").as_string(), "renewed");
    EXPECT_EQ(second.at("index").to_number<std::uint64_t>(), index);
    EXPECT_EQ(metrics.heartbeats("renewed"), 1u);
}

TEST_F(HttpWrites, OlderTimestampIsStale) {
    apply_heartbeats(registry, metrics,
                     request(R"({"service": "api", "port": 1, "timestamp": 1770000010})"));
    const json::object stale = body(apply_heartbeats(
        registry, metrics,
        request(R"({"service": "api", "port": 1, "weight": 5, "timestamp": 1770000009})")));
    EXPECT_EQ(stale.at("result").as_string(), "stale");
    EXPECT_EQ(registry.find("api", "10-0-0-9-1")->spec.weight, 100);
    EXPECT_EQ(metrics.heartbeats("stale"), 1u);
}

TEST_F(HttpWrites, ArrayAnswersEveryInstance) {
    const json::object reply = body(apply_heartbeats(
        registry, metrics,
        request(R"([{"service": "api", "port": 1, "id": "a"}, {"service": "web", "port": 2, "ttl": 9}])")));
    EXPECT_EQ(reply.at("status").as_string(), "ok");
    EXPECT_EQ(reply.at("index").to_number<std::uint64_t>(), registry.index());
    const json::array& instances = reply.at("instances").as_array();
    ASSERT_EQ(instances.size(), 2u);
    EXPECT_EQ(instances[0].at("service").as_string(), "api");
    EXPECT_EQ(instances[0].at("id").as_string(), "a");
    EXPECT_EQ(instances[1].at("id").as_string(), "10-0-0-9-2");
    EXPECT_EQ(instances[1].at("ttl").as_int64(), 9);
    EXPECT_EQ(instances[1].at("result").as_string(), "created");
    EXPECT_EQ(registry.instance_count(), 2u);
}

TEST_F(HttpWrites, ArrayOfOneStillAnswersAsArray) {
    const json::object reply =
        body(apply_heartbeats(registry, metrics, request(R"([{"service": "api", "port": 1}])")));
    EXPECT_EQ(reply.at("instances").as_array().size(), 1u);
}

TEST_F(HttpWrites, DeregisterLiveInstance) {
    apply_heartbeats(registry, metrics, request(R"({"service": "api", "port": 1, "id": "a"})"));
    const auto before = registry.index();
    const HttpReply reply = deregister_instance(registry, "api", "a");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_GT(registry.index(), before);
    EXPECT_EQ(reply.body, R"({"status":"ok","index":)" + std::to_string(registry.index()) + "}\n");
    EXPECT_EQ(registry.find("api", "a"), nullptr);
}

TEST_F(HttpWrites, DeregisterUnknownIs404AndChangesNothing) {
    const auto before = registry.index();
    const HttpReply reply = deregister_instance(registry, "api", "a");
    EXPECT_EQ(reply.status, 404u);
    EXPECT_EQ(body(reply).at("error").as_string(), "no live instance 'a' of service 'api'");
    EXPECT_EQ(registry.index(), before);
}

}  // namespace
}  // namespace dnsd
