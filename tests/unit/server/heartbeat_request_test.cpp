#include "dnsd/heartbeat_request.hpp"

#include <string>

#include <gtest/gtest.h>

namespace dnsd {
namespace {

const registry::IpAddress kPeer = *registry::IpAddress::parse("192.0.2.7");
const HeartbeatDefaults kDefaults{30, "node-a"};

HeartbeatRequest accepted(std::string_view body) {
    auto parsed = parse_heartbeat(body, kPeer, kDefaults);
    if (auto* error = std::get_if<HeartbeatError>(&parsed)) {
        ADD_FAILURE() << "rejected: " << error->message << "\nbody: " << body;
        return {};
    }
    return std::get<HeartbeatRequest>(parsed);
}

registry::InstanceSpec accepted_spec(std::string_view body) {
    auto request = accepted(body);
    if (request.heartbeats.size() != 1) {
        ADD_FAILURE() << "expected one heartbeat, got " << request.heartbeats.size();
        return {};
    }
    return request.heartbeats.front().spec;
}

std::string rejection(std::string_view body) {
    auto parsed = parse_heartbeat(body, kPeer, kDefaults);
    if (auto* error = std::get_if<HeartbeatError>(&parsed)) return error->message;
    ADD_FAILURE() << "accepted: " << body;
    return {};
}

TEST(HeartbeatRequest, FullObjectIsTakenAsWritten) {
    const auto request = accepted(R"({"service": "api", "address": "10.0.0.3", "port": 8861,
        "id": "api-1", "ttl": 20, "version": "1.2.3", "weight": 7, "priority": 2,
        "timestamp": 1770088942, "meta": {"zone": "a", "rack": "r1"}})");
    ASSERT_EQ(request.heartbeats.size(), 1u);
    EXPECT_FALSE(request.batch);
    const Heartbeat& hb = request.heartbeats[0];
    EXPECT_EQ(hb.spec.service, "api");
    EXPECT_EQ(hb.spec.id, "api-1");
    EXPECT_EQ(hb.spec.address.to_string(), "10.0.0.3");
    EXPECT_EQ(hb.spec.port, 8861);
    EXPECT_EQ(hb.spec.ttl_ms, 20'000);
    EXPECT_EQ(hb.spec.version, "1.2.3");
    EXPECT_EQ(hb.spec.weight, 7);
    EXPECT_EQ(hb.spec.priority, 2);
    EXPECT_EQ(hb.spec.meta, (std::map<std::string, std::string>{{"rack", "r1"}, {"zone", "a"}}));
    EXPECT_EQ(hb.spec.node, "node-a");
    EXPECT_EQ(hb.src_ts_ms, 1'770'088'942'000);
}

TEST(HeartbeatRequest, DefaultsFillWhatIsMissing) {
    const auto request = accepted(R"({"service": "api", "port": 8861})");
    ASSERT_EQ(request.heartbeats.size(), 1u);
    const Heartbeat& hb = request.heartbeats[0];
    EXPECT_EQ(hb.spec.address, kPeer);
    EXPECT_EQ(hb.spec.id, "192-0-2-7-8861");
    EXPECT_EQ(hb.spec.ttl_ms, 30'000);
    EXPECT_EQ(hb.spec.weight, 100);
    EXPECT_EQ(hb.spec.priority, 0);
    EXPECT_EQ(hb.spec.version, "");
    EXPECT_TRUE(hb.spec.meta.empty());
    EXPECT_EQ(hb.spec.node, "node-a");
    EXPECT_FALSE(hb.src_ts_ms.has_value());
}

TEST(HeartbeatRequest, LeaseDefaultComesFromTheCaller) {
    const auto parsed = parse_heartbeat(R"({"service": "api", "port": 1})", kPeer, {45, "n"});
    ASSERT_TRUE(std::holds_alternative<HeartbeatRequest>(parsed));
    EXPECT_EQ(std::get<HeartbeatRequest>(parsed).heartbeats[0].spec.ttl_ms, 45'000);
}

TEST(HeartbeatRequest, DerivedIdUsesTheGivenAddress) {
    EXPECT_EQ(accepted_spec(R"({"service": "a", "port": 8861, "address": "10.0.0.3"})").id,
              "10-0-0-3-8861");
    EXPECT_EQ(accepted_spec(R"({"service": "a", "port": 80, "address": "::1"})").id, "--1-80");
    EXPECT_EQ(accepted_spec(R"({"service": "a", "port": 80, "address": "2001:db8::5"})").id,
              "2001-db8--5-80");
}

TEST(HeartbeatRequest, NamesAreStoredInLowerCase) {
    const auto spec = accepted_spec(R"({"service": "API", "id": "Api-One", "port": 1})");
    EXPECT_EQ(spec.service, "api");
    EXPECT_EQ(spec.id, "api-one");
}

TEST(HeartbeatRequest, NullCountsAsMissing) {
    const auto spec = accepted_spec(
        R"({"service": "api", "port": 1, "id": null, "ttl": null, "version": null, "meta": null})");
    EXPECT_EQ(spec.id, "192-0-2-7-1");
    EXPECT_EQ(spec.ttl_ms, 30'000);
    EXPECT_EQ(spec.version, "");
}

TEST(HeartbeatRequest, UnknownFieldsAreIgnored) {
    const auto spec =
        accepted_spec(R"({"service": "api", "port": 1, "node": "elsewhere", "colour": [1, 2]})");
    EXPECT_EQ(spec.node, "node-a");  // the node that takes the heartbeat, not the client's word
}

TEST(HeartbeatRequest, ServiceIsRequiredAndALabel) {
    EXPECT_EQ(rejection(R"({"port": 1})"), "field 'service' is required");
    EXPECT_EQ(rejection(R"({"service": null, "port": 1})"), "field 'service' is required");
    const std::string label_rule =
        "field 'service' must be a DNS label: letters, digits and '-', 1 to 63 characters";
    EXPECT_EQ(rejection(R"({"service": "", "port": 1})"), label_rule);
    EXPECT_EQ(rejection(R"({"service": "a.b", "port": 1})"), label_rule);
    EXPECT_EQ(rejection(R"({"service": "a_b", "port": 1})"), label_rule);
    EXPECT_EQ(rejection(R"({"service": 5, "port": 1})"), label_rule);
    EXPECT_EQ(rejection(R"({"service": ")" + std::string(64, 'a') + R"(", "port": 1})"),
              label_rule);
    EXPECT_EQ(accepted_spec(R"({"service": ")" + std::string(63, 'a') + R"(", "port": 1})")
                  .service.size(),
              63u);
}

TEST(HeartbeatRequest, TheNodesOwnServiceIsReserved) {
    const std::string reserved = "service 'dnsd' is reserved for the dnsd nodes themselves";
    EXPECT_EQ(rejection(R"({"service": "dnsd", "port": 1})"), reserved);
    EXPECT_EQ(rejection(R"({"service": "DNSD", "port": 1})"), reserved);
    EXPECT_EQ(accepted_spec(R"({"service": "dnsd-x", "port": 1})").service, "dnsd-x");
}

TEST(HeartbeatRequest, PortIsRequiredFrom1To65535) {
    EXPECT_EQ(rejection(R"({"service": "api"})"), "field 'port' is required");
    const std::string rule = "field 'port' must be an integer from 1 to 65535";
    EXPECT_EQ(rejection(R"({"service": "api", "port": 0})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 65536})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": -1})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": "80"})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 80.5})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": true})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 18446744073709551615})"), rule);
    EXPECT_EQ(accepted_spec(R"({"service": "api", "port": 1})").port, 1);
    EXPECT_EQ(accepted_spec(R"({"service": "api", "port": 65535})").port, 65535);
    // A client without integers (JavaScript, Lua) may send 80.0.
    EXPECT_EQ(accepted_spec(R"({"service": "api", "port": 80.0})").port, 80);
}

TEST(HeartbeatRequest, AddressMustBeAnIpLiteral) {
    const std::string rule = "field 'address' must be an IPv4 or IPv6 address literal";
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "address": "example.com"})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "address": "10.0.0.256"})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "address": ""})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "address": 167772163})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "address": "0.0.0.0"})"),
              "field 'address' must not be the unspecified address (0.0.0.0 or ::)");
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "address": "::"})"),
              "field 'address' must not be the unspecified address (0.0.0.0 or ::)");
    const auto v6 = accepted_spec(R"({"service": "api", "port": 1, "address": "2001:db8::1"})");
    EXPECT_TRUE(v6.address.is_v6());
    EXPECT_EQ(v6.address.to_string(), "2001:db8::1");
}

TEST(HeartbeatRequest, IdMustBeALabel) {
    const std::string rule =
        "field 'id' must be a DNS label: letters, digits and '-', 1 to 63 characters";
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "id": "a b"})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "id": ""})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "id": 7})"), rule);
}

TEST(HeartbeatRequest, TtlFrom1To86400Seconds) {
    const std::string rule = "field 'ttl' must be an integer from 1 to 86400";
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "ttl": 0})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "ttl": 86401})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "ttl": 1.5})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "ttl": "30"})"), rule);
    EXPECT_EQ(accepted_spec(R"({"service": "api", "port": 1, "ttl": 1})").ttl_ms, 1'000);
    EXPECT_EQ(accepted_spec(R"({"service": "api", "port": 1, "ttl": 86400})").ttl_ms,
              86'400'000);
}

TEST(HeartbeatRequest, WeightAndPriorityFrom0To65535) {
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "weight": 65536})"),
              "field 'weight' must be an integer from 0 to 65535");
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "weight": -1})"),
              "field 'weight' must be an integer from 0 to 65535");
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "priority": "high"})"),
              "field 'priority' must be an integer from 0 to 65535");
    const auto spec = accepted_spec(R"({"service": "api", "port": 1, "weight": 0, "priority": 65535})");
    EXPECT_EQ(spec.weight, 0);
    EXPECT_EQ(spec.priority, 65535);
}

TEST(HeartbeatRequest, VersionIsAStringThatFitsATxtRecord) {
    const std::string rule = "field 'version' must be a string of at most 247 bytes";
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "version": 1.2})"), rule);
    EXPECT_EQ(
        rejection(R"({"service": "api", "port": 1, "version": ")" + std::string(248, 'v') + "\"}"),
        rule);
    EXPECT_EQ(accepted_spec(R"({"service": "api", "port": 1, "version": ")" +
                            std::string(247, 'v') + "\"}")
                  .version.size(),
              247u);
}

TEST(HeartbeatRequest, MetaHoldsStringsThatFitATxtString) {
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "meta": ["a"]})"),
              "field 'meta' must be an object with string values");
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "meta": {"n": 1}})"),
              "field 'meta' has key 'n' whose value is not a string");
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "meta": {"": "x"}})"),
              "field 'meta' has key '': keys must be non-empty and without '='");
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "meta": {"a=b": "x"}})"),
              "field 'meta' has key 'a=b': keys must be non-empty and without '='");
    // "k=" + 254 bytes = 256: one byte too many for a TXT string.
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "meta": {"k": ")" +
                        std::string(254, 'x') + "\"}}"),
              "field 'meta' has key 'k' too long: key=value must fit in 255 bytes");
    const auto spec = accepted_spec(R"({"service": "api", "port": 1, "meta": {"k": ")" +
                                    std::string(253, 'x') + R"(", "empty": ""}})");
    EXPECT_EQ(spec.meta.at("k").size(), 253u);
    EXPECT_EQ(spec.meta.at("empty"), "");
}

TEST(HeartbeatRequest, TimestampIsUnixSecondsPossiblyFractional) {
    auto ts = [](std::string_view value) {
        auto request = accepted(R"({"service": "api", "port": 1, "timestamp": )" +
                                std::string(value) + "}");
        return request.heartbeats.empty() ? std::nullopt : request.heartbeats[0].src_ts_ms;
    };
    EXPECT_EQ(ts("1770088942"), 1'770'088'942'000);
    EXPECT_EQ(ts("1770088942.25"), 1'770'088'942'250);
    EXPECT_EQ(ts("1770088942.0004"), 1'770'088'942'000);  // to the nearest millisecond
    EXPECT_EQ(ts("0.001"), 1);

    const std::string rule =
        "field 'timestamp' must be a positive number of seconds since the Unix epoch";
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "timestamp": 0})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "timestamp": -5})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "timestamp": "1770088942"})"), rule);
    EXPECT_EQ(rejection(R"({"service": "api", "port": 1, "timestamp": 1e300})"), rule);
}

TEST(HeartbeatRequest, FirstBrokenRuleIsReported) {
    EXPECT_EQ(rejection(R"({"service": "a b", "port": 0})"),
              "field 'service' must be a DNS label: letters, digits and '-', 1 to 63 characters");
}

TEST(HeartbeatRequest, ArrayRegistersSeveral) {
    const auto request = accepted(R"([{"service": "api", "port": 1, "id": "one"},
                                      {"service": "web", "port": 2, "ttl": 5}])");
    EXPECT_TRUE(request.batch);
    ASSERT_EQ(request.heartbeats.size(), 2u);
    EXPECT_EQ(request.heartbeats[0].spec.id, "one");
    EXPECT_EQ(request.heartbeats[1].spec.service, "web");
    EXPECT_EQ(request.heartbeats[1].spec.id, "192-0-2-7-2");
    EXPECT_EQ(request.heartbeats[1].spec.ttl_ms, 5'000);
}

TEST(HeartbeatRequest, ArrayIsAllOrNothing) {
    EXPECT_EQ(rejection(R"([{"service": "api", "port": 1}, {"service": "web", "port": 0}])"),
              "element [1]: field 'port' must be an integer from 1 to 65535");
    EXPECT_EQ(rejection(R"([{"service": "api", "port": 1}, "web"])"),
              "element [1]: a heartbeat must be a JSON object");
    EXPECT_EQ(rejection("[]"), "the array holds no heartbeat: send at least one");
}

TEST(HeartbeatRequest, BodyMustBeJsonObjectOrArray) {
    EXPECT_EQ(rejection(""), "the body is empty: send a JSON heartbeat object");
    EXPECT_EQ(rejection(" \r\n"), "the body is empty: send a JSON heartbeat object");
    EXPECT_EQ(rejection("\"api\""), "the body must be a JSON object or an array of objects");
    EXPECT_EQ(rejection("42"), "the body must be a JSON object or an array of objects");
    EXPECT_EQ(rejection("null"), "the body must be a JSON object or an array of objects");
}

TEST(HeartbeatRequest, BrokenJsonIsRejectedWithTheReason) {
    for (std::string_view body : {R"({"service": "api", "port": 1)", R"({"service": api})",
                                  R"({"service": "api",})", "{} {}", "service=api&port=1"}) {
        const std::string message = rejection(body);
        EXPECT_EQ(message.rfind("the body is not valid JSON: ", 0), 0u) << body << ": " << message;
        EXPECT_GT(message.size(), std::string("the body is not valid JSON: ").size());
    }
}

}  // namespace
}  // namespace dnsd
