// Rejected heartbeats: each gets a 4xx with {"error": "..."} and leaves the registry unchanged.
#include <string>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

struct BadBody {
    const char* name;
    std::string body;
};

void PrintTo(const BadBody& bad, std::ostream* out) { *out << bad.name; }

constexpr const char* kGood = R"({"service":"api","address":"10.0.0.3","port":8861})";

std::vector<BadBody> bad_bodies() {
    return {
        {"broken_json", R"({"service":"api","address":"10.0.0.3","port":8861)"},
        {"not_an_object", R"("api")"},
        {"empty_body", ""},
        {"missing_service", R"({"address":"10.0.0.3","port":8861})"},
        {"empty_service", R"({"service":"","address":"10.0.0.3","port":8861})"},
        {"underscore_in_service", R"({"service":"bad_name","address":"10.0.0.3","port":8861})"},
        {"service_64_chars", R"({"service":")" + std::string(64, 'a') + R"(","address":"10.0.0.3","port":8861})"},
        {"dot_in_service", R"({"service":"a.b","address":"10.0.0.3","port":8861})"},
        {"service_not_string", R"({"service":5,"address":"10.0.0.3","port":8861})"},
        {"bad_id", R"({"service":"api","address":"10.0.0.3","port":8861,"id":"no way"})"},
        {"missing_port", R"({"service":"api","address":"10.0.0.3"})"},
        {"port_0", R"({"service":"api","address":"10.0.0.3","port":0})"},
        {"port_70000", R"({"service":"api","address":"10.0.0.3","port":70000})"},
        {"port_negative", R"({"service":"api","address":"10.0.0.3","port":-1})"},
        {"port_string", R"({"service":"api","address":"10.0.0.3","port":"80"})"},
        {"port_fraction", R"({"service":"api","address":"10.0.0.3","port":80.5})"},
        {"address_octet_300", R"({"service":"api","address":"10.0.0.300","port":8861})"},
        {"address_name", R"({"service":"api","address":"not-an-ip","port":8861})"},
        {"ttl_0", R"({"service":"api","address":"10.0.0.3","port":8861,"ttl":0})"},
        {"ttl_too_long", R"({"service":"api","address":"10.0.0.3","port":8861,"ttl":86401})"},
        {"weight_70000", R"({"service":"api","address":"10.0.0.3","port":8861,"weight":70000})"},
        {"meta_number", R"({"service":"api","address":"10.0.0.3","port":8861,"meta":{"k":1}})"},
        {"meta_not_object", R"({"service":"api","address":"10.0.0.3","port":8861,"meta":"k=v"})"},
        {"array_with_one_bad",
         R"([{"service":"db","address":"10.0.0.4","port":5432},{"service":"bad_name","address":"10.0.0.5","port":1}])"},
    };
}

class BadInput : public DnsdTest {
protected:
    void SetUp() override {
        DnsdTest::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_EQ(heartbeat(dnsd(), kGood).status, 200u);
    }

    std::string services() { return http_get(http_port(), "/v1/services").body; }

    // A 4xx whose body is {"error": "<non-empty sentence>"}.
    static void expect_error(const HttpResponse& response, unsigned status_low, unsigned status_high) {
        EXPECT_GE(response.status, status_low) << response.failure << response.body;
        EXPECT_LE(response.status, status_high) << response.body;
        EXPECT_NE(response.header("content-type").find("application/json"), std::string::npos)
            << response.header("content-type");
        const auto body = response.json();
        ASSERT_TRUE(body && body->is_object()) << "error bodies are JSON: " << response.body;
        const auto* error = body->as_object().if_contains("error");
        ASSERT_TRUE(error != nullptr && error->is_string()) << response.body;
        EXPECT_GT(error->as_string().size(), 5u) << "a sentence a person can act on";
    }
};

class BadHeartbeat : public BadInput, public ::testing::WithParamInterface<BadBody> {};

TEST_P(BadHeartbeat, IsRejectedAndChangesNothing) {
    const std::string before = services();
    const HttpResponse response = heartbeat(dnsd(), GetParam().body);
    expect_error(response, 400, 499);
    EXPECT_NE(response.status, 404u);
    EXPECT_EQ(services(), before) << "a rejected request must not change the registry";
    // The valid first element of a rejected array must not have slipped in either.
    EXPECT_TRUE(find_instance(dnsd(), "db", "10-0-0-4-5432").is_null());
}

INSTANTIATE_TEST_SUITE_P(Bodies, BadHeartbeat, ::testing::ValuesIn(bad_bodies()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(BadInput, BodyOver64KiBIs413) {
    const std::string before = services();
    const std::string big = R"({"service":"api","address":"10.0.0.9","port":1,"meta":{"pad":")" +
                            std::string(70 * 1024, 'x') + R"("}})";
    const HttpResponse response = heartbeat(dnsd(), big);
    EXPECT_EQ(response.status, 413u) << response.failure;
    expect_error(response, 413, 413);
    EXPECT_EQ(services(), before);
    EXPECT_EQ(http_get(http_port(), "/healthz").status, 200u) << "still serving";
}

TEST_F(BadInput, RejectionsLeaveDnsAnswersAlone) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.99","port":0})").status / 100, 4u);
    const DnsReply reply = dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_A)), ::testing::ElementsAre("10.0.0.3"));
}

TEST_F(BadInput, UnknownPathIs404AndWrongMethodIsAnError) {
    expect_error(http_get(http_port(), "/v1/nothing-here"), 404, 404);
    HttpRequest request;
    request.method = "PUT";
    request.target = "/v1/heartbeat";
    request.body = kGood;
    expect_error(http_request(http_port(), request), 404, 405);
}

class AuthToken : public BadInput {
protected:
    DnsdOptions options() override {
        write_file(token_dir_.path() / "token", "s3cret-token\n");
        DnsdOptions o;
        o.auth_token_file = token_dir_.path() / "token";
        return o;
    }
    void SetUp() override {
        DnsdTest::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_EQ(heartbeat(dnsd(), kGood, bearer("s3cret-token")).status, 200u);
    }
    static std::map<std::string, std::string> bearer(const std::string& token) {
        return {{"Authorization", "Bearer " + token}};
    }
    TempDir token_dir_;
};

TEST_F(AuthToken, HeartbeatWithoutOrWithAWrongTokenIs401) {
    const std::string before = services();
    const std::string body = R"({"service":"db","address":"10.0.0.4","port":5432})";
    expect_error(heartbeat(dnsd(), body), 401, 401);
    expect_error(heartbeat(dnsd(), body, bearer("wrong")), 401, 401);
    expect_error(heartbeat(dnsd(), body, {{"Authorization", "s3cret-token"}}), 401, 401);
    EXPECT_EQ(services(), before);
    EXPECT_EQ(heartbeat(dnsd(), body, bearer("s3cret-token")).status, 200u)
        << "the token file's trailing newline is not part of the token";
    EXPECT_TRUE(find_instance(dnsd(), "db", "10-0-0-4-5432").is_object());
}

TEST_F(AuthToken, DeregistrationNeedsTheTokenToo) {
    const std::string target = "/v1/instances/api/10-0-0-3-8861";
    expect_error(http_delete(http_port(), target), 401, 401);
    expect_error(http_delete(http_port(), target, bearer("wrong")), 401, 401);
    EXPECT_TRUE(find_instance(dnsd(), "api", "10-0-0-3-8861").is_object());
    EXPECT_EQ(http_delete(http_port(), target, bearer("s3cret-token")).status, 200u);
    EXPECT_TRUE(find_instance(dnsd(), "api", "10-0-0-3-8861").is_null());
}

TEST_F(AuthToken, ReadsNeedNoToken) {
    EXPECT_EQ(http_get(http_port(), "/v1/services").status, 200u);
    EXPECT_EQ(http_get(http_port(), "/v1/services/api").status, 200u);
    EXPECT_EQ(http_get(http_port(), "/status").status, 200u);
    EXPECT_EQ(http_get(http_port(), "/healthz").status, 200u);
}

}  // namespace
}  // namespace dnsd::e2e
