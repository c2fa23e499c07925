#include "dnsd/dnsctl_table.hpp"

#include <gtest/gtest.h>

namespace dnsd::ctl {
namespace {

TEST(DnsctlTable, PadsColumnsToTheWidestCell) {
    EXPECT_EQ(format_table({"A", "BB"}, {{"long", "x"}, {"s", "yyy"}}),
              "A     BB\n"
              "long  x\n"
              "s     yyy\n");
}

TEST(DnsctlTable, HeaderOnlyAndShortRows) {
    EXPECT_EQ(format_table({"ID", "PORT"}, {}), "ID  PORT\n");
    EXPECT_EQ(format_table({"ID", "PORT"}, {{"a"}}), "ID  PORT\na\n") << "no trailing blanks";
}

}  // namespace
}  // namespace dnsd::ctl
