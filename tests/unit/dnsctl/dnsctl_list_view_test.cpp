#include "dnsd/dnsctl_list_view.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace dnsd::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DnsctlListView, ServicesSortedByName) {
    const auto answer = boost::json::parse(
        R"({"index":9,"services":{"web":{"instances":1,"index":4},"api":{"instances":3,"index":9}}})");
    EXPECT_EQ(services_table(answer),
              "SERVICE  INSTANCES  INDEX\n"
              "api      3          9\n"
              "web      1          4\n");
}

TEST(DnsctlListView, InstancesWithoutHealthColumn) {
    const auto answer = boost::json::parse(
        R"({"service":"api","index":3,"instances":[
            {"id":"b","address":"10.0.0.4","port":8861,"version":"","weight":100,"priority":0,"meta":{},
             "ttl":15,"expires_in":12,"node":"n1"},
            {"id":"a","address":"fd00::3","port":8861,"version":"1.2","weight":5,"priority":1,"meta":{},
             "ttl":15,"expires_in":9,"node":"n2"}]})");
    const std::string table = instances_table(answer);
    EXPECT_EQ(table,
              "ID  ADDRESS   PORT  WEIGHT  PRIORITY  VERSION  EXPIRES_IN  NODE\n"
              "a   fd00::3   8861  5       1         1.2      9           n2\n"
              "b   10.0.0.4  8861  100     0         -        12          n1\n");
    EXPECT_THAT(table, Not(HasSubstr("HEALTH")));
}

TEST(DnsctlListView, HealthColumnWhenDnsdReportsOne) {
    const auto answer = boost::json::parse(
        R"({"instances":[{"id":"a","address":"10.0.0.3","port":1,"health":"critical"},{"id":"b","address":"10.0.0.4","port":1}]})");
    const std::string table = instances_table(answer);
    EXPECT_THAT(table, HasSubstr("HEALTH"));
    EXPECT_THAT(table, HasSubstr("critical"));
}

TEST(DnsctlListView, CellText) {
    EXPECT_EQ(cell_text(nullptr), "-");
    const boost::json::value s = "x";
    const boost::json::value n = 42;
    EXPECT_EQ(cell_text(&s), "x");
    EXPECT_EQ(cell_text(&n), "42");
}

}  // namespace
}  // namespace dnsd::ctl
