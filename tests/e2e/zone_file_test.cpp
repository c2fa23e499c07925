// --zone-file: static records served beside the registry's, refused at start with the line and
// the reason when bad, and reloaded on SIGHUP without touching the registry; a bad reload keeps
// the records that were served before.
#include <signal.h>

#include <string>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kHeartbeat = R"({"service":"api","address":"10.0.0.3","port":8861,"id":"api-1"})";

std::vector<std::string> a_records(const DnsdProcess& dnsd, const std::string& name,
                                   Transport transport = Transport::udp) {
    return rdata_texts(dns_query(dnsd.dns_port(), name, LDNS_RR_TYPE_A, transport).answer(LDNS_RR_TYPE_A));
}

// One sample of GET /metrics, e.g. `dnsd_zone_file_reloads_total{result="ok"}`; -1 when absent.
long long metric(const DnsdProcess& dnsd, const std::string& sample) {
    const HttpResponse response = http_get(dnsd.http_port(), "/metrics");
    const auto at = response.body.find("\n" + sample + " ");
    if (response.status != 200 || at == std::string::npos) return -1;
    return std::stoll(response.body.substr(at + 1 + sample.size() + 1));
}

bool log_mentions(const DnsdProcess& dnsd, const std::string& text) {
    return dnsd.log().find(text) != std::string::npos;
}

class ZoneFileTest : public ::testing::Test {
protected:
    DnsdOptions with_zone_file() {
        DnsdOptions options;
        options.max_ttl_s = 5;
        options.extra_args = {"--zone-file", zone_file_.string()};
        return options;
    }

    TempDir dir_;
    std::filesystem::path zone_file_ = dir_.path() / "static.zone";
};

TEST_F(ZoneFileTest, StaticRecordsAreServedOverUdpAndTcpWithCappedTtl) {
    write_file(zone_file_,
               "; static records\n"
               "$TTL 3600\n"
               "static   IN A     10.9.9.9\n"
               "static   IN TXT   \"hello\"\n"
               "_db._tcp IN SRV   0 10 5432 static\n"
               "alias    IN CNAME static\n");
    DnsdProcess dnsd(with_zone_file());
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    EXPECT_TRUE(log_mentions(dnsd, "loaded 4 records from " + zone_file_.string()));

    const DnsReply a = dns_query(dnsd.dns_port(), "Static.SVC", LDNS_RR_TYPE_A);
    ASSERT_TRUE(a.ok()) << a.failure();
    EXPECT_EQ(a.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(a.aa());
    ASSERT_EQ(a.answer(LDNS_RR_TYPE_A).size(), 1u) << a.to_string();
    EXPECT_EQ(rdata_text(a.answer(LDNS_RR_TYPE_A)[0]), "10.9.9.9");
    EXPECT_LE(ldns_rr_ttl(a.answer(LDNS_RR_TYPE_A)[0]), 5u) << "--max-ttl caps static records";
    EXPECT_THAT(a_records(dnsd, "static.svc", Transport::tcp), ElementsAre("10.9.9.9"));

    const DnsReply txt = dns_query(dnsd.dns_port(), "static.svc", LDNS_RR_TYPE_TXT);
    ASSERT_EQ(txt.answer(LDNS_RR_TYPE_TXT).size(), 1u) << txt.to_string();
    EXPECT_THAT(txt_strings(txt.answer(LDNS_RR_TYPE_TXT)[0]), ElementsAre("hello"));
    const DnsReply srv = dns_query(dnsd.dns_port(), "_db._tcp.svc", LDNS_RR_TYPE_SRV);
    EXPECT_THAT(rdata_texts(srv.answer(LDNS_RR_TYPE_SRV)), ElementsAre("0 10 5432 static.svc."))
        << srv.to_string();
    const DnsReply cname = dns_query(dnsd.dns_port(), "alias.svc", LDNS_RR_TYPE_CNAME);
    EXPECT_THAT(rdata_texts(cname.answer(LDNS_RR_TYPE_CNAME)), ElementsAre("static.svc."))
        << cname.to_string();
    EXPECT_EQ(dns_query(dnsd.dns_port(), "nosuch.svc", LDNS_RR_TYPE_A).rcode(), LDNS_RCODE_NXDOMAIN);
}

TEST_F(ZoneFileTest, SighupReloadsAndABadReloadKeepsTheOldRecordsAndTheRegistry) {
    write_file(zone_file_, "$ORIGIN svc.\n$TTL 60\nstatic A 10.9.9.9\n");
    DnsdProcess dnsd(with_zone_file());
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, kHeartbeat).status, 200u);
    EXPECT_THAT(a_records(dnsd, "static.svc"), ElementsAre("10.9.9.9"));
    EXPECT_THAT(a_records(dnsd, "api.svc"), ElementsAre("10.0.0.3"));
    const double index_before = number(get_json(dnsd, "/v1/services/api").at("index"));

    // A good reload: changed and added records are served, the registry is untouched.
    write_file(zone_file_, "$ORIGIN svc.\n$TTL 60\nstatic A 10.9.9.10\nadded A 10.9.9.11\n");
    ASSERT_TRUE(dnsd.send_signal(SIGHUP));
    EXPECT_TRUE(eventually([&] { return a_records(dnsd, "added.svc") == std::vector<std::string>{"10.9.9.11"}; },
                           3000ms))
        << "SIGHUP reloads --zone-file";
    EXPECT_THAT(a_records(dnsd, "static.svc"), ElementsAre("10.9.9.10"));
    EXPECT_THAT(a_records(dnsd, "api.svc"), ElementsAre("10.0.0.3")) << "the registry survives a reload";
    EXPECT_EQ(metric(dnsd, R"(dnsd_zone_file_reloads_total{result="ok"})"), 1);
    EXPECT_EQ(metric(dnsd, "dnsd_zone_file_records"), 2);
    EXPECT_TRUE(log_mentions(dnsd, "reloaded 2 records from " + zone_file_.string()));

    // A bad reload: logged with line and reason, nothing served changes, dnsd goes on.
    write_file(zone_file_, "$ORIGIN svc.\nstatic A 10.9.9.12\nbroken A 10.9.9\n");
    ASSERT_TRUE(dnsd.send_signal(SIGHUP));
    EXPECT_TRUE(eventually([&] { return metric(dnsd, R"(dnsd_zone_file_reloads_total{result="error"})") == 1; },
                           3000ms));
    EXPECT_TRUE(log_mentions(dnsd, "zone file " + zone_file_.string() + " line 3: cannot parse 'broken A 10.9.9'"))
        << dnsd.log();
    EXPECT_TRUE(dnsd.running());
    EXPECT_EQ(http_get(dnsd.http_port(), "/healthz").status, 200u);
    EXPECT_THAT(a_records(dnsd, "static.svc"), ElementsAre("10.9.9.10")) << "the old records stay";
    EXPECT_THAT(a_records(dnsd, "added.svc"), ElementsAre("10.9.9.11"));
    EXPECT_THAT(a_records(dnsd, "api.svc"), ElementsAre("10.0.0.3"));
    EXPECT_EQ(metric(dnsd, "dnsd_zone_file_records"), 2);

    const boost::json::value instance = find_instance(dnsd, "api", "api-1");
    EXPECT_FALSE(instance.is_null()) << "the heartbeat-registered instance survives both reloads";
    EXPECT_EQ(number(get_json(dnsd, "/v1/services/api").at("index")), index_before)
        << "reloading static records is no registry change";
}

TEST_F(ZoneFileTest, ABadFileAtStartIsRefusedWithItsLineAndReason) {
    write_file(zone_file_, "ok A 10.0.0.1\n\nsvc. NS ns.example.com.\n");
    TempDir data;
    auto dnsd = DnsdProcess::spawn_raw({"--dns", "127.0.0.1:" + std::to_string(pick_free_port()),
                                        "--http", "127.0.0.1:" + std::to_string(pick_free_port()),
                                        "--data-dir", data.path().string(), "--threads", "1",
                                        "--zone-file", zone_file_.string()});
    const ExitStatus status = dnsd->wait_exit(10s);
    EXPECT_TRUE(status.exited && status.code == 2) << status.describe() << "\n" << dnsd->log();
    EXPECT_THAT(dnsd->log(), HasSubstr("zone file " + zone_file_.string() + " line 3: NS records at the apex"));
}

TEST_F(ZoneFileTest, AnUnreadableFileIsBadUsage) {
    TempDir data;
    auto dnsd = DnsdProcess::spawn_raw({"--data-dir", data.path().string(), "--zone-file",
                                        (dir_.path() / "missing.zone").string()});
    const ExitStatus status = dnsd->wait_exit(10s);
    EXPECT_TRUE(status.exited && status.code == 2) << status.describe();
    EXPECT_THAT(dnsd->log(), HasSubstr("--zone-file: cannot read"));
}

TEST_F(ZoneFileTest, AnEmptyFileStartsWithNoStaticRecords) {
    write_file(zone_file_, "");
    DnsdProcess dnsd(with_zone_file());
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    EXPECT_EQ(metric(dnsd, "dnsd_zone_file_records"), 0);
    // Records added later arrive with the next SIGHUP.
    write_file(zone_file_, "later A 10.0.0.7\n");
    ASSERT_TRUE(dnsd.send_signal(SIGHUP));
    EXPECT_TRUE(eventually([&] { return a_records(dnsd, "later.svc") == std::vector<std::string>{"10.0.0.7"}; },
                           3000ms));
}

TEST(ZoneFileAbsent, SighupWithoutAZoneFileChangesNothing) {
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, kHeartbeat).status, 200u);
    ASSERT_TRUE(dnsd.send_signal(SIGHUP));
    EXPECT_TRUE(eventually([&] { return log_mentions(dnsd, "no --zone-file to reload"); }, 3000ms)) << dnsd.log();
    EXPECT_TRUE(dnsd.running());
    EXPECT_THAT(a_records(dnsd, "api.svc"), ElementsAre("10.0.0.3"));
    EXPECT_EQ(metric(dnsd, R"(dnsd_zone_file_reloads_total{result="ok"})"), 0);
    EXPECT_EQ(metric(dnsd, R"(dnsd_zone_file_reloads_total{result="error"})"), 0);
}

}  // namespace
}  // namespace dnsd::e2e
