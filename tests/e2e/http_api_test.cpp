// The HTTP side-port as SPEC.md describes it: heartbeats, reads, status, metrics, blocking queries.
#include <chrono>
#include <ctime>
#include <future>
#include <sstream>
#include <string>
#include <thread>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;

// Sum of every sample of a Prometheus metric family (all label sets); -1 when absent.
double metric_sum(const std::string& exposition, const std::string& family) {
    std::istringstream lines(exposition);
    std::string line;
    double sum = -1;
    for (int count = 0; count < 100000 && std::getline(lines, line); ++count) {
        if (line.empty() || line[0] == '#' || line.rfind(family, 0) != 0) continue;
        const char next = line.size() > family.size() ? line[family.size()] : '\0';
        if (next != '{' && next != ' ') continue;  // another family sharing the prefix
        const auto space = line.find_last_of(' ');
        if (space == std::string::npos) continue;
        sum = (sum < 0 ? 0 : sum) + std::stod(line.substr(space + 1));
    }
    return sum;
}

std::uint64_t index_of(const json::value& value) {
    const auto* index = value.is_object() ? value.as_object().if_contains("index") : nullptr;
    return index != nullptr ? static_cast<std::uint64_t>(number(*index)) : 0;
}

class HttpApi : public DnsdTest {
protected:
    DnsdOptions options() override {
        DnsdOptions o;
        o.lease_s = 17;
        return o;
    }
};

TEST_F(HttpApi, HealthzAnswers200) {
    EXPECT_EQ(http_get(http_port(), "/healthz").status, 200u);
}

TEST_F(HttpApi, HeartbeatAnswersWithKeyLeaseAndIndex) {
    const HttpResponse response =
        heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})");
    ASSERT_EQ(response.status, 200u) << response.body;
    EXPECT_NE(response.header("content-type").find("application/json"), std::string::npos);
    const auto body = response.json();
    ASSERT_TRUE(body && body->is_object()) << response.body;
    EXPECT_EQ(body->at("status"), "ok");
    EXPECT_EQ(body->at("service"), "api");
    EXPECT_EQ(body->at("id"), "10-0-0-3-8861") << "id derived from address and port";
    EXPECT_EQ(number(body->at("ttl")), 17) << "no ttl in the heartbeat: --lease";
    EXPECT_GT(index_of(*body), 0u);
    EXPECT_EQ(index_of(*body), index_of(get_json(dnsd(), "/v1/services")));
}

TEST_F(HttpApi, PureRenewalKeepsTheIndexButMovesTheLease) {
    const std::string body = R"({"service":"api","address":"10.0.0.3","port":8861,"ttl":30})";
    const auto first = heartbeat(dnsd(), body).json();
    ASSERT_TRUE(first.has_value());
    std::this_thread::sleep_for(1200ms);
    const json::value before = find_instance(dnsd(), "api", "10-0-0-3-8861");
    ASSERT_TRUE(before.is_object());
    EXPECT_LT(number(before.at("expires_in")), 29.5);
    const auto second = heartbeat(dnsd(), body).json();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(index_of(*second), index_of(*first)) << "a pure renewal changes no record";
    const json::value after = find_instance(dnsd(), "api", "10-0-0-3-8861");
    ASSERT_TRUE(after.is_object());
    EXPECT_GT(number(after.at("expires_in")), number(before.at("expires_in")))
        << "a renewal moves the lease end";
    // A change (new version) does bump the index.
    const auto third =
        heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861,"ttl":30,"version":"2"})")
            .json();
    ASSERT_TRUE(third.has_value());
    EXPECT_GT(index_of(*third), index_of(*first));
}

TEST_F(HttpApi, OlderTimestampDoesNotOverwriteANewerHeartbeat) {
    const std::string newer =
        R"({"service":"api","address":"10.0.0.3","port":8861,"timestamp":1770088942,"version":"new"})";
    const std::string older =
        R"({"service":"api","address":"10.0.0.3","port":8861,"timestamp":1770088000,"version":"old"})";
    ASSERT_EQ(heartbeat(dnsd(), newer).status, 200u);
    const HttpResponse stale = heartbeat(dnsd(), older);
    EXPECT_LT(stale.status, 500u) << stale.body;
    const boost::json::value instance = find_instance(dnsd(), "api", "10-0-0-3-8861");
    ASSERT_TRUE(instance.is_object());
    EXPECT_EQ(instance.at("version"), "new") << "src_ts decides which copy is newer";

    // Without a timestamp the node assigns a newer one: the change applies.
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861,"version":"third"})").status,
              200u);
    EXPECT_EQ(find_instance(dnsd(), "api", "10-0-0-3-8861").at("version"), "third");
}

TEST_F(HttpApi, SyncRunsNow) {
    const HttpResponse response = http_post_json(http_port(), "/v1/sync", "");
    EXPECT_EQ(response.status, 200u) << response.body;
    EXPECT_TRUE(response.json().has_value()) << response.body;
}

TEST_F(HttpApi, HeartbeatWithoutAddressUsesTheSenderAddress) {
    const HttpResponse response = heartbeat(dnsd(), R"({"service":"api","port":8861})");
    ASSERT_EQ(response.status, 200u) << response.body;
    const json::value instance = find_instance(dnsd(), "api", "127-0-0-1-8861");
    ASSERT_TRUE(instance.is_object()) << get_json(dnsd(), "/v1/services/api");
    EXPECT_EQ(instance.at("address"), "127.0.0.1");
}

TEST_F(HttpApi, ArrayRegistersEveryInstance) {
    const HttpResponse response = heartbeat(
        dnsd(), R"([{"service":"api","address":"10.0.0.3","port":1},{"service":"db","address":"10.0.0.4","port":2}])");
    ASSERT_EQ(response.status, 200u) << response.body;
    EXPECT_TRUE(find_instance(dnsd(), "api", "10-0-0-3-1").is_object());
    EXPECT_TRUE(find_instance(dnsd(), "db", "10-0-0-4-2").is_object());
}

TEST_F(HttpApi, ServiceNamesAreCaseInsensitive) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"ApI","address":"10.0.0.3","port":8861,"id":"One"})").status,
              200u);
    const json::value list = get_json(dnsd(), "/v1/services");
    ASSERT_TRUE(list.is_object()) << list;
    EXPECT_TRUE(list.at("services").as_object().contains("api")) << list;
    EXPECT_FALSE(list.at("services").as_object().contains("ApI")) << list;
    EXPECT_TRUE(find_instance(dnsd(), "api", "one").is_object());
}

TEST_F(HttpApi, StatusHasTheOriginalNotesFields) {
    const HttpResponse response = http_get(http_port(), "/status");
    ASSERT_EQ(response.status, 200u);
    const auto body = response.json();
    ASSERT_TRUE(body && body->is_object()) << response.body;
    EXPECT_EQ(body->at("status"), "ok");
    EXPECT_EQ(body->at("service"), "dnsd");
    ASSERT_TRUE(body->at("version").is_string());
    EXPECT_FALSE(body->at("version").as_string().empty());
    EXPECT_NEAR(number(body->at("timestamp")), static_cast<double>(std::time(nullptr)), 60)
        << "unix seconds";
    EXPECT_EQ(body->at("node"), "e2e-node");
    EXPECT_TRUE(body->at("index").is_number());
    ASSERT_TRUE(body->at("peers").is_array());
    EXPECT_TRUE(body->at("peers").as_array().empty()) << "no --join, no peers";
}

TEST_F(HttpApi, ServicesListCountsInstances) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.4","port":8861})").status, 200u);
    const json::value list = get_json(dnsd(), "/v1/services");
    ASSERT_TRUE(list.is_object()) << list;
    EXPECT_GT(index_of(list), 0u);
    const json::object& services = list.at("services").as_object();
    ASSERT_TRUE(services.contains("api")) << list;
    EXPECT_EQ(number(services.at("api").at("instances")), 2);
    EXPECT_GT(index_of(services.at("api")), 0u);
    EXPECT_LE(index_of(services.at("api")), index_of(list));
    ASSERT_TRUE(services.contains("dnsd")) << "the node registers itself\n" << list;
    EXPECT_EQ(number(services.at("dnsd").at("instances")), 1);
}

TEST_F(HttpApi, ServiceDetailHasEveryInstanceField) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861,"id":"api-1",)"
                                R"("ttl":30,"version":"1.2.3","weight":7,"priority":1,"meta":{"zone":"a"}})")
                  .status,
              200u);
    const json::value detail = get_json(dnsd(), "/v1/services/api");
    ASSERT_TRUE(detail.is_object()) << detail;
    EXPECT_EQ(detail.at("service"), "api");
    EXPECT_GT(index_of(detail), 0u);
    const json::value instance = find_instance(dnsd(), "api", "api-1");
    ASSERT_TRUE(instance.is_object()) << detail;
    EXPECT_EQ(instance.at("address"), "10.0.0.3");
    EXPECT_EQ(number(instance.at("port")), 8861);
    EXPECT_EQ(instance.at("version"), "1.2.3");
    EXPECT_EQ(number(instance.at("weight")), 7);
    EXPECT_EQ(number(instance.at("priority")), 1);
    EXPECT_EQ(instance.at("meta"), (json::object{{"zone", "a"}}));
    EXPECT_EQ(number(instance.at("ttl")), 30);
    EXPECT_LE(number(instance.at("expires_in")), 30);
    EXPECT_GT(number(instance.at("expires_in")), 25);
    EXPECT_EQ(instance.at("node"), "e2e-node");
}

TEST_F(HttpApi, UnknownServiceIs404WithAReason) {
    const HttpResponse response = http_get(http_port(), "/v1/services/nosuch");
    EXPECT_EQ(response.status, 404u);
    const auto body = response.json();
    ASSERT_TRUE(body && body->is_object() && body->as_object().contains("error")) << response.body;
    EXPECT_TRUE(body->at("error").is_string());
    EXPECT_FALSE(body->at("error").as_string().empty());
}

TEST_F(HttpApi, MetricsAreExposedAndCount) {
    const HttpResponse before = http_get(http_port(), "/metrics");
    ASSERT_EQ(before.status, 200u);
    EXPECT_NE(before.header("content-type").find("text/plain"), std::string::npos);
    for (const char* family :
         {"dnsd_dns_queries_total", "dnsd_dns_responses_total", "dnsd_heartbeats_total",
          "dnsd_registry_instances", "dnsd_registry_services", "dnsd_registry_index",
          "dnsd_expired_total", "dnsd_snapshot_writes_total", "dnsd_snapshot_write_failures_total",
          "dnsd_http_requests_total"}) {
        EXPECT_NE(before.body.find(family), std::string::npos) << family << " missing\n" << before.body;
    }
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_SRV).ok());
    }
    ASSERT_TRUE(dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_A, Transport::tcp).ok());

    const HttpResponse after = http_get(http_port(), "/metrics");
    ASSERT_EQ(after.status, 200u);
    EXPECT_GE(metric_sum(after.body, "dnsd_dns_queries_total"),
              std::max(0.0, metric_sum(before.body, "dnsd_dns_queries_total")) + 4)
        << after.body;
    EXPECT_GE(metric_sum(after.body, "dnsd_dns_responses_total"),
              std::max(0.0, metric_sum(before.body, "dnsd_dns_responses_total")) + 4);
    EXPECT_GE(metric_sum(after.body, "dnsd_heartbeats_total"),
              std::max(0.0, metric_sum(before.body, "dnsd_heartbeats_total")) + 1);
    EXPECT_GE(metric_sum(after.body, "dnsd_http_requests_total"),
              metric_sum(before.body, "dnsd_http_requests_total") + 1);
    EXPECT_GE(metric_sum(after.body, "dnsd_registry_instances"), 2) << "api and the node itself";
}

TEST_F(HttpApi, BlockingQueryAnswersSoonAfterAChange) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    const std::uint64_t index = index_of(get_json(dnsd(), "/v1/services/api"));
    ASSERT_GT(index, 0u);

    const auto started = Clock::now();
    auto blocked = std::async(std::launch::async, [&] {
        HttpResponse response = http_get(
            http_port(), "/v1/services/api?index=" + std::to_string(index) + "&wait=5s", 8000ms);
        return std::make_pair(response, Clock::now());
    });
    // The query must still be waiting while nothing changes.
    ASSERT_EQ(blocked.wait_for(700ms), std::future_status::timeout) << "answered before any change";
    const auto changed = Clock::now();
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.4","port":8861})").status, 200u);
    ASSERT_EQ(blocked.wait_for(6s), std::future_status::ready);
    const auto [response, answered] = blocked.get();
    ASSERT_EQ(response.status, 200u) << response.failure << response.body;
    EXPECT_GE(answered, changed);
    EXPECT_LT(answered - changed, 2s) << "the change should wake the query at once";
    EXPECT_LT(answered - started, 4s);
    const auto body = response.json();
    ASSERT_TRUE(body.has_value());
    EXPECT_GT(index_of(*body), index);
    EXPECT_EQ(body->at("instances").as_array().size(), 2u) << *body;
}

TEST_F(HttpApi, BlockingListQueryWakesOnANewService) {
    const std::uint64_t index = index_of(get_json(dnsd(), "/v1/services"));
    ASSERT_GT(index, 0u);
    auto blocked = std::async(std::launch::async, [&] {
        HttpResponse response =
            http_get(http_port(), "/v1/services?index=" + std::to_string(index) + "&wait=5s", 8000ms);
        return std::make_pair(response, Clock::now());
    });
    ASSERT_EQ(blocked.wait_for(500ms), std::future_status::timeout) << "answered before any change";
    const auto changed = Clock::now();
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"fresh","address":"10.0.0.8","port":1})").status, 200u);
    ASSERT_EQ(blocked.wait_for(6s), std::future_status::ready);
    const auto [response, answered] = blocked.get();
    ASSERT_EQ(response.status, 200u) << response.failure;
    EXPECT_LT(answered - changed, 2s);
    const auto body = response.json();
    ASSERT_TRUE(body.has_value());
    EXPECT_GT(index_of(*body), index);
    EXPECT_TRUE(body->at("services").as_object().contains("fresh")) << *body;
}

TEST_F(HttpApi, BlockingQueryEndsAtTheWaitWithTheSameIndex) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    for (const std::string path : {"/v1/services/api", "/v1/services"}) {
        const std::uint64_t index = index_of(get_json(dnsd(), path));
        const auto started = Clock::now();
        const HttpResponse response =
            http_get(http_port(), path + "?index=" + std::to_string(index) + "&wait=1s", 5000ms);
        const auto elapsed = Clock::now() - started;
        ASSERT_EQ(response.status, 200u) << path << ": " << response.failure << response.body;
        EXPECT_GE(elapsed, 900ms) << path << " answered before the wait ended";
        EXPECT_LT(elapsed, 3s) << path;
        const auto body = response.json();
        ASSERT_TRUE(body.has_value()) << response.body;
        EXPECT_EQ(index_of(*body), index) << path;
    }
}

TEST_F(HttpApi, BlockingQueryOnAnOldIndexAnswersAtOnce) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    const std::uint64_t index = index_of(get_json(dnsd(), "/v1/services/api"));
    ASSERT_GT(index, 1u);
    const auto started = Clock::now();
    const HttpResponse response =
        http_get(http_port(), "/v1/services/api?index=" + std::to_string(index - 1) + "&wait=5s");
    EXPECT_EQ(response.status, 200u);
    EXPECT_LT(Clock::now() - started, 1s) << "the index already passed N: no waiting";
}

}  // namespace
}  // namespace dnsd::e2e
