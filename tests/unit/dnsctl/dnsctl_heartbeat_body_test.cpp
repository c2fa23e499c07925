#include "dnsd/dnsctl_heartbeat_body.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace dnsd::ctl {
namespace {

TEST(DnsctlHeartbeatBody, MinimalLeavesDefaultsToTheServer) {
    InstanceSpec spec;
    spec.service = "api";
    spec.port = 8861;
    EXPECT_EQ(heartbeat_body(spec), boost::json::parse(R"({"service":"api","port":8861,"ttl":15})"));
}

TEST(DnsctlHeartbeatBody, EverythingGiven) {
    InstanceSpec spec;
    spec.service = "api";
    spec.port = 8861;
    spec.address = "10.0.0.3";
    spec.id = "api-1";
    spec.ttl_s = 30;
    spec.version = "1.2.3";
    spec.weight = 0;
    spec.priority = 2;
    spec.meta = {{"zone", "a"}};
    spec.check = CheckSpec{"http", "http://10.0.0.3:8861/status", 10, 2, 300};
    EXPECT_EQ(heartbeat_body(spec), boost::json::parse(R"({"service":"api","port":8861,"ttl":30,
        "address":"10.0.0.3","id":"api-1","version":"1.2.3","weight":0,"priority":2,"meta":{"zone":"a"},
        "check":{"http":"http://10.0.0.3:8861/status","interval":10,"timeout":2,"deregister_after":300}})"))
        << boost::json::serialize(heartbeat_body(spec));
}

TEST(DnsctlHeartbeatBody, TcpCheckWithoutDeregisterAfter) {
    InstanceSpec spec;
    spec.service = "db";
    spec.port = 5432;
    spec.check = CheckSpec{"tcp", "10.0.0.3:5432", 5, 1, std::nullopt};
    const auto body = heartbeat_body(spec);
    EXPECT_EQ(body.at("check"), boost::json::parse(R"({"tcp":"10.0.0.3:5432","interval":5,"timeout":1})"));
    EXPECT_FALSE(body.contains("timestamp")) << "the node assigns the timestamp";
}

}  // namespace
}  // namespace dnsd::ctl
