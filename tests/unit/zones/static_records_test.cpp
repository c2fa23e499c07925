// Which answer the zone file's records give for (name, type), and how they yield to the registry.
#include "zones/static_records.hpp"

#include <gtest/gtest.h>

#include "raw_message.hpp"
#include "zones/dns_name.hpp"
#include "zones/wire_reader.hpp"

namespace dnsd::zones {
namespace {

using test::query_name;

PreparedAnswer static_present(std::uint32_t tag) {
    PreparedAnswer a;
    a.bytes_begin = tag;
    a.size = 1;
    return a;
}

class StaticRecordsTest : public ::testing::Test {
protected:
    StaticRecords records;
    void SetUp() override {
        const auto key = [](const char* name) { return std::string(DnsName::from_text(name)->wire()); };
        records.nodes[key("www.svc")].answers = {{1, static_present(1)}, {16, static_present(2)}};
        records.nodes[key("b.svc")];  // an empty non-terminal above a.b.svc
        StaticNode& alias = records.nodes[key("alias.svc")];
        alias.cname = true;
        alias.answers = {{5, static_present(5)}, {1, static_present(6)}};
    }
    static std::uint32_t tag(const Lookup& l) { return l.answer ? l.answer->bytes_begin : 0; }
};

TEST_F(StaticRecordsTest, AnswersTheOwnersTypes) {
    EXPECT_EQ(tag(records.find(query_name("WWW.svc"), 1, false)), 1u);
    EXPECT_EQ(tag(records.find(query_name("www.svc"), 16, false)), 2u);
    EXPECT_EQ(records.find(query_name("www.svc"), 16, false).store, &records.store);
    EXPECT_EQ(tag(records.find(query_name("www.svc"), 255, false)), 1u);  // ANY: one RRset
    EXPECT_EQ(records.find(query_name("www.svc"), 28, false).kind, LookupKind::nodata);
}

TEST_F(StaticRecordsTest, EmptyNonTerminalIsNodataAndUnknownNamesAreNotHere) {
    EXPECT_EQ(records.find(query_name("b.svc"), 1, false).kind, LookupKind::nodata);
    EXPECT_EQ(records.find(query_name("c.svc"), 1, false).kind, LookupKind::nxdomain);
    EXPECT_EQ(records.find(query_name("x.www.svc"), 1, false).kind, LookupKind::nxdomain);
}

TEST_F(StaticRecordsTest, CnameAnswersEveryTypeUnlessTheRegistryHasTheName) {
    EXPECT_EQ(tag(records.find(query_name("alias.svc"), 1, false)), 6u);   // chased
    EXPECT_EQ(tag(records.find(query_name("alias.svc"), 28, false)), 5u);  // the CNAME alone
    EXPECT_EQ(tag(records.find(query_name("alias.svc"), 5, false)), 5u);
    EXPECT_EQ(tag(records.find(query_name("alias.svc"), 255, false)), 5u);
    EXPECT_EQ(records.find(query_name("alias.svc"), 1, true).kind, LookupKind::nodata);
    // Other static types stay available beside the registry's own types at a name.
    EXPECT_EQ(tag(records.find(query_name("www.svc"), 16, true)), 2u);
}

}  // namespace
}  // namespace dnsd::zones
