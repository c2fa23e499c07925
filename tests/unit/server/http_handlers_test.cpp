#include "dnsd/http_handlers.hpp"

#include <filesystem>
#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "dnsd/node.hpp"
#include "registry/clock.hpp"

namespace dnsd {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// Handlers against a real Node on an io_context this test drives by hand: no sockets, no
// sleeping. A blocking query completes because a heartbeat commits, not because time passes.
class HttpHandlers : public ::testing::Test {
protected:
    explicit HttpHandlers(std::string auth_token = "") : node_(io_, make_config(auth_token), clock_) {}

    ~HttpHandlers() override {
        std::error_code ignored;
        std::filesystem::remove_all(data_dir(), ignored);
    }

    static std::filesystem::path data_dir() {
        return std::filesystem::temp_directory_path() /
               ("dnsd-http-handlers-test-" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    }

    static Config make_config(std::string auth_token) {
        Config config;
        config.node_name = "node-a.example";
        config.node_label = "node-a";
        config.data_dir = data_dir();
        config.auth_token = std::move(auth_token);
        return config;
    }

    // A request whose strings live as long as the test needs them.
    struct Request {
        std::string method, target, body, authorization;
        RequestView view() const {
            return {method, target, body, authorization, *registry::IpAddress::parse("10.0.0.9")};
        }
    };

    // Starts a request; its reply lands in `out` when the handler finishes.
    void start(const Request& request, std::optional<HttpReply>& out) {
        asio::co_spawn(io_, handle_request(node_, request.view()),
                       [&out](std::exception_ptr error, HttpReply reply) {
                           if (error) std::rethrow_exception(error);
                           out = std::move(reply);
                       });
    }

    // Runs ready handlers only: never waits for a timer.
    void run_ready() {
        io_.restart();
        io_.poll();
    }

    HttpReply call(std::string method, std::string target, std::string body = "",
                   std::string authorization = "") {
        const Request request{std::move(method), std::move(target), std::move(body),
                              std::move(authorization)};
        std::optional<HttpReply> reply;
        start(request, reply);
        run_ready();
        if (!reply) {
            ADD_FAILURE() << request.method << " " << request.target << " did not complete";
            return {};
        }
        return *reply;
    }

    static json::object body(const HttpReply& reply) {
        return json::parse(reply.body).as_object();
    }

    static std::uint64_t index_header(const HttpReply& reply) {
        const std::string* value = reply.header("X-Dnsd-Index");
        return value != nullptr ? std::stoull(*value) : ~0ull;
    }

    registry::ManualClock clock_;
    asio::io_context io_;
    Node node_;
};

class HttpHandlersWithToken : public HttpHandlers {
protected:
    HttpHandlersWithToken() : HttpHandlers("s3cret") {}
};

TEST_F(HttpHandlers, Healthz) {
    const HttpReply reply = call("GET", "/healthz");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.content_type, "application/json");
    EXPECT_EQ(reply.body, "{\"status\":\"ok\"}\n");
}

TEST_F(HttpHandlers, UnknownPathAndWrongMethod) {
    const HttpReply missing = call("GET", "/nope");
    EXPECT_EQ(missing.status, 404u);
    EXPECT_TRUE(body(missing).at("error").is_string());

    const HttpReply wrong = call("PUT", "/v1/heartbeat");
    EXPECT_EQ(wrong.status, 405u);
    ASSERT_NE(wrong.header("Allow"), nullptr);
    EXPECT_EQ(*wrong.header("Allow"), "POST");
    EXPECT_TRUE(body(wrong).at("error").is_string());
}

TEST_F(HttpHandlers, HeartbeatRegistersAndAnswersTheIndex) {
    const HttpReply reply =
        call("POST", "/v1/heartbeat", R"({"service": "API", "port": 8861, "id": "api-1"})");
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const json::object answer = body(reply);
    EXPECT_EQ(answer.at("status").as_string(), "ok");
    EXPECT_EQ(answer.at("service").as_string(), "api");
    EXPECT_EQ(answer.at("id").as_string(), "api-1");
    EXPECT_EQ(answer.at("ttl").to_number<std::int64_t>(), 30);
    EXPECT_EQ(answer.at("index").to_number<std::uint64_t>(), node_.registry().index());

    const registry::Instance* instance = node_.registry().find("api", "api-1");
    ASSERT_NE(instance, nullptr);
    EXPECT_EQ(instance->spec.address.to_string(), "10.0.0.9");  // the peer's address
    EXPECT_EQ(instance->spec.node, "node-a");
    EXPECT_EQ(node_.metrics().heartbeats("created"), 1u);
}

TEST_F(HttpHandlers, RejectedHeartbeatChangesNothing) {
    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1, "id": "keep"})");
    const auto index = node_.registry().index();
    const auto count = node_.registry().instance_count();

    const HttpReply reply = call("POST", "/v1/heartbeat",
                                 R"([{"service": "web", "port": 2}, {"service": "x", "port": 0}])");
    EXPECT_EQ(reply.status, 400u);
    EXPECT_EQ(body(reply).at("error").as_string(),
              "element [1]: field 'port' must be an integer from 1 to 65535");
    EXPECT_EQ(node_.registry().index(), index);
    EXPECT_EQ(node_.registry().instance_count(), count);
    EXPECT_EQ(node_.registry().find("web"), nullptr);
    EXPECT_EQ(node_.metrics().heartbeats("rejected"), 1u);
}

TEST_F(HttpHandlers, DeregisterThenNotFound) {
    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1, "id": "one"})");
    const HttpReply gone = call("DELETE", "/v1/instances/api/ONE");
    EXPECT_EQ(gone.status, 200u);
    EXPECT_EQ(body(gone).at("index").to_number<std::uint64_t>(), node_.registry().index());
    EXPECT_EQ(node_.registry().find("api", "one"), nullptr);

    const auto index = node_.registry().index();
    EXPECT_EQ(call("DELETE", "/v1/instances/api/one").status, 404u);
    EXPECT_EQ(call("DELETE", "/v1/instances/api/o_ne").status, 400u);
    EXPECT_EQ(node_.registry().index(), index);
}

TEST_F(HttpHandlers, ServiceViewsCarryTheIndexHeader) {
    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1, "id": "one"})");
    const HttpReply list = call("GET", "/v1/services");
    EXPECT_EQ(list.status, 200u);
    EXPECT_EQ(index_header(list), node_.registry().index());
    EXPECT_EQ(body(list).at("services").at("api").at("instances").to_number<int>(), 1);

    const HttpReply one = call("GET", "/v1/services/api");
    EXPECT_EQ(one.status, 200u);
    EXPECT_EQ(index_header(one), node_.registry().find("api")->modify_index);
    EXPECT_EQ(body(one).at("instances").as_array().size(), 1u);

    const HttpReply unknown = call("GET", "/v1/services/nope");
    EXPECT_EQ(unknown.status, 404u);
    EXPECT_EQ(body(unknown).at("error").as_string(), "there is no service 'nope'");
}

TEST_F(HttpHandlers, BadBlockingQueryIs400) {
    EXPECT_EQ(call("GET", "/v1/services?index=x").status, 400u);
    EXPECT_EQ(call("GET", "/v1/services/api?index=1&wait=forever").status, 400u);
}

TEST_F(HttpHandlers, BlockingQueryWithPassedIndexAnswersAtOnce) {
    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1})");
    const HttpReply reply = call("GET", "/v1/services?index=0&wait=10m");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(index_header(reply), node_.registry().index());
}

TEST_F(HttpHandlers, BlockingQueryWithZeroWaitAnswersTheSameIndex) {
    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1})");
    const auto index = node_.registry().index();
    const HttpReply reply =
        call("GET", "/v1/services?index=" + std::to_string(index) + "&wait=0s");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(index_header(reply), index);
}

TEST_F(HttpHandlers, BlockingQueryWithIndexFromTheFutureAnswersAtOnce) {
    // The client saw a higher index before this node restarted: it must learn the new one now.
    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1})");
    const HttpReply reply = call("GET", "/v1/services/api?index=999999&wait=10m");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(index_header(reply), node_.registry().find("api")->modify_index);
}

TEST_F(HttpHandlers, BlockingQueryWakesOnItsOwnServiceOnly) {
    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1, "id": "one"})");
    const auto api_index = node_.registry().find("api")->modify_index;

    const Request watch{"GET", "/v1/services/api?index=" + std::to_string(api_index) + "&wait=5m",
                        "", ""};
    std::optional<HttpReply> watched;
    start(watch, watched);
    run_ready();
    EXPECT_FALSE(watched.has_value());

    // Another service changes: the registry index moves, api's does not; still waiting.
    call("POST", "/v1/heartbeat", R"({"service": "web", "port": 2})");
    run_ready();
    EXPECT_FALSE(watched.has_value());

    call("POST", "/v1/heartbeat", R"({"service": "api", "port": 1, "id": "two"})");
    run_ready();
    ASSERT_TRUE(watched.has_value());
    EXPECT_EQ(watched->status, 200u);
    EXPECT_GT(index_header(*watched), api_index);
    EXPECT_EQ(body(*watched).at("instances").as_array().size(), 2u);
}

TEST_F(HttpHandlers, BlockingQuerySeesAServiceAppear) {
    const Request watch{"GET", "/v1/services/late?index=0&wait=5m", "", ""};
    std::optional<HttpReply> watched;
    start(watch, watched);
    run_ready();
    EXPECT_FALSE(watched.has_value());
    call("POST", "/v1/heartbeat", R"({"service": "late", "port": 1})");
    run_ready();
    ASSERT_TRUE(watched.has_value());
    EXPECT_EQ(watched->status, 200u);
}

TEST_F(HttpHandlers, StatusInTheNotesFormat) {
    clock_.set_wall_ms(1'770'088'942'500);
    const HttpReply reply = call("GET", "/status");
    EXPECT_EQ(reply.status, 200u);
    const json::object status = body(reply);
    EXPECT_EQ(status.at("status").as_string(), "ok");
    EXPECT_EQ(status.at("service").as_string(), "dnsd");
    EXPECT_EQ(status.at("node").as_string(), "node-a.example");
    EXPECT_EQ(status.at("timestamp").to_number<std::int64_t>(), 1'770'088'942);
    EXPECT_EQ(status.at("index").to_number<std::uint64_t>(), node_.registry().index());
    EXPECT_TRUE(status.at("peers").as_array().empty());
    EXPECT_TRUE(status.at("version").is_string());
}

TEST_F(HttpHandlers, StatusListsOtherLiveNodes) {
    // Peers enter the registry the way gossip will put them there, not through heartbeats
    // (service "dnsd" is reserved for the nodes).
    for (int i = 1; i <= 3; ++i) {
        registry::InstanceSpec peer;
        peer.service = "dnsd";
        peer.id = "peer-" + std::to_string(i);
        peer.address = *registry::IpAddress::parse("10.0.0." + std::to_string(i));
        peer.port = 8054;
        node_.registry().renew(peer);
    }
    node_.commit();
    const auto peers = body(call("GET", "/status")).at("peers").as_array();
    ASSERT_EQ(peers.size(), 1u);  // a third of three
    EXPECT_EQ(peers[0].as_string().subview().rfind("10.0.0.", 0), 0u);
}

TEST_F(HttpHandlers, MetricsArePrometheusText) {
    call("GET", "/healthz");
    const HttpReply reply = call("GET", "/metrics");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.content_type.rfind("text/plain; version=0.0.4", 0), 0u);
    EXPECT_NE(reply.body.find("dnsd_registry_index "), std::string::npos);
}

TEST_F(HttpHandlers, SyncAnswersTheIndex) {
    const HttpReply reply = call("POST", "/v1/sync");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(body(reply).at("index").to_number<std::uint64_t>(), node_.registry().index());
}

TEST_F(HttpHandlersWithToken, WritesNeedTheBearerToken) {
    const std::string hb = R"({"service": "api", "port": 1, "id": "one"})";
    const HttpReply refused = call("POST", "/v1/heartbeat", hb);
    EXPECT_EQ(refused.status, 401u);
    ASSERT_NE(refused.header("WWW-Authenticate"), nullptr);
    EXPECT_EQ(node_.registry().find("api"), nullptr);

    EXPECT_EQ(call("POST", "/v1/heartbeat", hb, "Bearer wrong").status, 401u);
    EXPECT_EQ(call("POST", "/v1/heartbeat", hb, "Bearer s3cret").status, 200u);

    EXPECT_EQ(call("DELETE", "/v1/instances/api/one").status, 401u);
    EXPECT_NE(node_.registry().find("api", "one"), nullptr);
    EXPECT_EQ(call("DELETE", "/v1/instances/api/one", "", "Bearer s3cret").status, 200u);

    // Reads stay open.
    EXPECT_EQ(call("GET", "/v1/services").status, 200u);
}

}  // namespace
}  // namespace dnsd
