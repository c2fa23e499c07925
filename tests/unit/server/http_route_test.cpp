#include "dnsd/http_route.hpp"

#include <gtest/gtest.h>

#include "dnsd/http_limits.hpp"

namespace dnsd {
namespace {

Route routed(std::string_view method, std::string_view target) {
    auto match = match_route(method, target);
    if (auto* error = std::get_if<RouteError>(&match)) {
        ADD_FAILURE() << method << " " << target << " -> " << error->status << " "
                      << error->message;
        return Route{Endpoint::healthz, {}, {}};
    }
    return std::get<Route>(match);
}

RouteError refused(std::string_view method, std::string_view target) {
    auto match = match_route(method, target);
    if (auto* error = std::get_if<RouteError>(&match)) return *error;
    ADD_FAILURE() << method << " " << target << " was routed";
    return {};
}

TEST(HttpRoute, EveryEndpoint) {
    EXPECT_EQ(routed("GET", "/healthz").endpoint, Endpoint::healthz);
    EXPECT_EQ(routed("GET", "/status").endpoint, Endpoint::status);
    EXPECT_EQ(routed("GET", "/metrics").endpoint, Endpoint::metrics);
    EXPECT_EQ(routed("POST", "/v1/heartbeat").endpoint, Endpoint::heartbeat);
    EXPECT_EQ(routed("POST", "/v1/sync").endpoint, Endpoint::sync);
    EXPECT_EQ(routed("POST", "/v1/gossip").endpoint, Endpoint::gossip);
    EXPECT_EQ(routed("GET", "/v1/services").endpoint, Endpoint::services);

    const Route service = routed("GET", "/v1/services/api");
    EXPECT_EQ(service.endpoint, Endpoint::service);
    EXPECT_EQ(service.service, "api");

    const Route deregister = routed("DELETE", "/v1/instances/api/api-1");
    EXPECT_EQ(deregister.endpoint, Endpoint::deregister);
    EXPECT_EQ(deregister.service, "api");
    EXPECT_EQ(deregister.id, "api-1");
}

TEST(HttpRoute, QueryStringDoesNotChangeTheRoute) {
    EXPECT_EQ(routed("GET", "/v1/services?index=4&wait=1s").endpoint, Endpoint::services);
    EXPECT_EQ(routed("GET", "/v1/services/api?index=4").service, "api");
}

TEST(HttpRoute, LabelsInThePathAreCanonicalAndPercentDecoded) {
    EXPECT_EQ(routed("GET", "/v1/services/API").service, "api");
    const Route r = routed("DELETE", "/v1/instances/%41pi/Api-%31");
    EXPECT_EQ(r.service, "api");
    EXPECT_EQ(r.id, "api-1");
}

TEST(HttpRoute, TrailingSlashIsForgiven) {
    EXPECT_EQ(routed("GET", "/v1/services/").endpoint, Endpoint::services);
    EXPECT_EQ(routed("GET", "/healthz/").endpoint, Endpoint::healthz);
}

TEST(HttpRoute, HeadIsRoutedWhereGetIs) {
    EXPECT_EQ(routed("HEAD", "/healthz").endpoint, Endpoint::healthz);
    EXPECT_EQ(routed("HEAD", "/v1/services/api").service, "api");
}

TEST(HttpRoute, UnknownPathIs404) {
    for (std::string_view target : {"/", "/v1", "/v2/services", "/v1/services/api/extra",
                                    "/v1/instances/api", "/statusx", "/v1/heartbeats"}) {
        const RouteError e = refused("GET", target);
        EXPECT_EQ(e.status, 404u) << target;
        EXPECT_EQ(e.message, "there is no endpoint at this path");
        EXPECT_TRUE(e.allow.empty());
    }
}

TEST(HttpRoute, WrongMethodIs405WithAllow) {
    RouteError e = refused("GET", "/v1/heartbeat");
    EXPECT_EQ(e.status, 405u);
    EXPECT_EQ(e.allow, "POST");
    EXPECT_EQ(e.message, "method GET is not allowed here; use POST");

    e = refused("POST", "/v1/services/api");
    EXPECT_EQ(e.status, 405u);
    EXPECT_EQ(e.allow, "GET, HEAD");

    e = refused("GET", "/v1/instances/api/one");
    EXPECT_EQ(e.status, 405u);
    EXPECT_EQ(e.allow, "DELETE");

    EXPECT_EQ(refused("HEAD", "/v1/heartbeat").status, 405u);  // HEAD only where GET is
    EXPECT_EQ(refused("get", "/healthz").status, 405u);        // methods are case-sensitive
}

TEST(HttpRoute, InvalidLabelsAre400) {
    RouteError e = refused("GET", "/v1/services/a_b");
    EXPECT_EQ(e.status, 400u);
    EXPECT_EQ(e.message,
              "service 'a_b' in the path is not a DNS label: letters, digits and '-', 1 to 63 "
              "characters");
    e = refused("DELETE", "/v1/instances/api/a%20b");
    EXPECT_EQ(e.status, 400u);
    EXPECT_EQ(e.message.rfind("instance id 'a b' in the path", 0), 0u) << e.message;
    EXPECT_EQ(refused("DELETE", "/v1/instances/a.b/one").status, 400u);
    EXPECT_EQ(refused("GET", "/v1/services/" + std::string(64, 'a')).status, 400u);
}

TEST(HttpRoute, GossipIsPostOnly) {
    const RouteError e = refused("GET", "/v1/gossip");
    EXPECT_EQ(e.status, 405u);
    EXPECT_EQ(e.allow, "POST");
}

TEST(HttpRoute, OnlyGossipTakesLargeBodies) {
    EXPECT_EQ(request_body_limit("POST", "/v1/gossip"), kGossipBodyLimit);
    EXPECT_EQ(request_body_limit("POST", "/v1/heartbeat"), kHttpBodyLimit);
    EXPECT_EQ(request_body_limit("PUT", "/v1/gossip"), kHttpBodyLimit);  // refused anyway
    EXPECT_EQ(request_body_limit("POST", "/nowhere"), kHttpBodyLimit);
    EXPECT_GT(kGossipBodyLimit, kHttpBodyLimit);
}

TEST(HttpRoute, TargetThatIsNoPathIs400) {
    EXPECT_EQ(refused("GET", "*").status, 400u);
    EXPECT_EQ(refused("GET", "http://example.com/healthz").status, 400u);
    EXPECT_EQ(refused("GET", "/v1/services/%zz").status, 400u);
}

}  // namespace
}  // namespace dnsd
