#include "dnsd/json_views.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "registry/clock.hpp"
#include "registry/registry.hpp"

namespace dnsd {
namespace {

namespace json = boost::json;

registry::InstanceSpec spec(std::string service, std::string id, std::int64_t ttl_ms = 30'000) {
    registry::InstanceSpec s;
    s.service = std::move(service);
    s.id = std::move(id);
    s.address = *registry::IpAddress::parse("10.0.0.3");
    s.port = 8861;
    s.version = "1.2.3";
    s.weight = 10;
    s.priority = 1;
    s.meta = {{"zone", "a"}};
    s.ttl_ms = ttl_ms;
    s.node = "node-a";
    return s;
}

class JsonViews : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry registry{clock};
};

TEST_F(JsonViews, InstanceHasEveryField) {
    registry.renew(spec("api", "api-1"));
    clock.advance_ms(10'500);
    const auto* instance = registry.find("api", "api-1");
    ASSERT_NE(instance, nullptr);
    EXPECT_EQ(json::serialize(instance_json(*instance, clock.mono_ms())),
              R"({"id":"api-1","address":"10.0.0.3","port":8861,"version":"1.2.3","weight":10,)"
              R"("priority":1,"meta":{"zone":"a"},"ttl":30,"expires_in":20,"node":"node-a"})");
}

TEST_F(JsonViews, ExpiresInRoundsUpAndNeverGoesNegative) {
    registry.renew(spec("api", "api-1", 1'500));
    const auto* instance = registry.find("api", "api-1");
    ASSERT_NE(instance, nullptr);
    EXPECT_EQ(instance_json(*instance, clock.mono_ms()).at("ttl").as_int64(), 2);
    EXPECT_EQ(instance_json(*instance, clock.mono_ms()).at("expires_in").as_int64(), 2);
    EXPECT_EQ(instance_json(*instance, clock.mono_ms() + 1'499).at("expires_in").as_int64(), 1);
    EXPECT_EQ(instance_json(*instance, clock.mono_ms() + 5'000).at("expires_in").as_int64(), 0);
}

TEST_F(JsonViews, ServicesListCountsLiveInstances) {
    registry.renew(spec("api", "one"));
    registry.renew(spec("api", "two", 1'000));
    registry.renew(spec("web", "one"));
    clock.advance_ms(2'000);  // "two" has lapsed, not yet swept
    const json::object view = services_json(registry, clock.mono_ms());
    EXPECT_EQ(view.at("index").as_uint64(), registry.index());
    const json::object& services = view.at("services").as_object();
    ASSERT_EQ(services.size(), 2u);
    EXPECT_EQ(services.at("api").at("instances").as_uint64(), 1u);
    EXPECT_EQ(services.at("api").at("index").as_uint64(), registry.find("api")->modify_index);
    EXPECT_EQ(services.at("web").at("instances").as_uint64(), 1u);
}

TEST_F(JsonViews, ServiceShowsOnlyLiveInstancesInIdOrder) {
    registry.renew(spec("api", "b"));
    registry.renew(spec("api", "a"));
    registry.renew(spec("api", "gone", 1'000));
    clock.advance_ms(1'001);
    const auto view = service_json(registry, "api", clock.mono_ms());
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->at("service").as_string(), "api");
    EXPECT_EQ(view->at("index").as_uint64(), registry.find("api")->modify_index);
    const json::array& instances = view->at("instances").as_array();
    ASSERT_EQ(instances.size(), 2u);
    EXPECT_EQ(instances[0].at("id").as_string(), "a");
    EXPECT_EQ(instances[1].at("id").as_string(), "b");
}

TEST_F(JsonViews, KnownServiceWithoutLiveInstanceIsEmptyNotUnknown) {
    registry.renew(spec("api", "one"));
    ASSERT_TRUE(registry.deregister("api", "one"));
    const auto view = service_json(registry, "api", clock.mono_ms());
    ASSERT_TRUE(view.has_value());
    EXPECT_TRUE(view->at("instances").as_array().empty());
}

TEST_F(JsonViews, UnknownServiceIsNullopt) {
    EXPECT_FALSE(service_json(registry, "nope", clock.mono_ms()).has_value());
}

TEST_F(JsonViews, IndexesForBlockingQueries) {
    EXPECT_EQ(service_index(registry, "api"), 0u);
    registry.renew(spec("api", "one"));
    const auto after_api = registry.index();
    EXPECT_EQ(service_index(registry, "api"), after_api);
    registry.renew(spec("web", "one"));
    EXPECT_EQ(services_index(registry), registry.index());
    EXPECT_GT(services_index(registry), after_api);
    EXPECT_EQ(service_index(registry, "api"), after_api);  // web's change is not api's
}

}  // namespace
}  // namespace dnsd
