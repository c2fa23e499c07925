// The registry survives restarts through cache.json: leases continue (they are not reset, and
// time spent down counts), and a broken cache.json is put aside instead of stopping dnsd.
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

class Persistence : public ::testing::Test {
protected:
    DnsdOptions options() {
        DnsdOptions o;
        o.data_dir = data_.path();
        o.max_ttl_s = 3600;  // so DNS TTLs show the remaining lease, not the ceiling
        return o;
    }

    std::unique_ptr<DnsdProcess> start() {
        auto process = std::make_unique<DnsdProcess>(options());
        EXPECT_TRUE(process->started()) << process->start_failure();
        return process;
    }

    static void expect_clean_exit(DnsdProcess& process) {
        const ExitStatus status = process.terminate();
        EXPECT_TRUE(status.exited && status.code == 0) << "SIGTERM: " << status.describe();
    }

    TempDir data_;
};

TEST_F(Persistence, GracefulRestartContinuesTheLease) {
    auto first = start();
    ASSERT_TRUE(first->started());
    ASSERT_EQ(heartbeat(*first, R"({"service":"api","address":"10.0.0.3","port":8861,"id":"p1","ttl":10})").status,
              200u);
    const auto registered = Clock::now();
    std::this_thread::sleep_for(2200ms);
    expect_clean_exit(*first);
    EXPECT_TRUE(fs::exists(data_.path() / "cache.json")) << "SIGTERM writes the snapshot";
    boost::system::error_code json_error;
    (void)boost::json::parse(read_file(data_.path() / "cache.json"), json_error);
    EXPECT_FALSE(json_error) << "cache.json is whole JSON: " << json_error.message();

    auto second = start();
    ASSERT_TRUE(second->started());
    const double elapsed_s = std::chrono::duration<double>(Clock::now() - registered).count();
    const boost::json::value instance = find_instance(*second, "api", "p1");
    ASSERT_TRUE(instance.is_object()) << "the instance survived the restart\n"
                                      << get_json(*second, "/v1/services");
    EXPECT_EQ(instance.at("address"), "10.0.0.3");
    EXPECT_LE(number(instance.at("expires_in")), 10 - elapsed_s + 1.0)
        << "the lease went on running (" << elapsed_s << " s since the heartbeat), not reset";
    EXPECT_GT(number(instance.at("expires_in")), 0);

    const DnsReply reply = dns_query(second->dns_port(), "p1.api.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    const auto a = reply.answer(LDNS_RR_TYPE_A);
    ASSERT_EQ(a.size(), 1u) << reply.to_string();
    EXPECT_EQ(rdata_text(a[0]), "10.0.0.3");
    EXPECT_LE(ldns_rr_ttl(a[0]), 8u) << "TTL follows the continued lease";
    EXPECT_GE(ldns_rr_ttl(a[0]), 1u);
}

TEST_F(Persistence, InstanceSurvivesKill9) {
    auto first = start();
    ASSERT_TRUE(first->started());
    ASSERT_EQ(heartbeat(*first, R"({"service":"api","address":"10.0.0.3","port":8861,"ttl":30})").status, 200u);
    // Longer than the snapshot debounce (1 s): the write must have happened without SIGTERM.
    std::this_thread::sleep_for(3s);
    first->kill9();

    auto second = start();
    ASSERT_TRUE(second->started());
    const boost::json::value instance = find_instance(*second, "api", "10-0-0-3-8861");
    ASSERT_TRUE(instance.is_object()) << get_json(*second, "/v1/services");
    EXPECT_LE(number(instance.at("expires_in")), 27.999);
    const DnsReply reply = dns_query(second->dns_port(), "api.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_SRV)),
                ::testing::ElementsAre("0 100 8861 10-0-0-3-8861.api.svc."));
}

TEST_F(Persistence, LeaseThatRanOutWhileDownIsNotServed) {
    auto first = start();
    ASSERT_TRUE(first->started());
    ASSERT_EQ(heartbeat(*first, R"({"service":"api","address":"10.0.0.3","port":8861,"id":"brief","ttl":2})")
                  .status,
              200u);
    ASSERT_EQ(heartbeat(*first, R"({"service":"api","address":"10.0.0.4","port":8861,"id":"lasting","ttl":60})")
                  .status,
              200u);
    const auto registered = Clock::now();
    expect_clean_exit(*first);
    std::this_thread::sleep_until(registered + 2600ms);  // "brief" runs out while dnsd is down

    auto second = start();
    ASSERT_TRUE(second->started());
    EXPECT_TRUE(find_instance(*second, "api", "lasting").is_object()) << get_json(*second, "/v1/services/api");
    EXPECT_TRUE(find_instance(*second, "api", "brief").is_null()) << get_json(*second, "/v1/services/api");
    const DnsReply reply = dns_query(second->dns_port(), "api.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_A)), ::testing::ElementsAre("10.0.0.4"))
        << reply.to_string();
    const DnsReply instance = dns_query(second->dns_port(), "brief.api.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(instance.ok()) << instance.failure();
    EXPECT_TRUE(instance.answer().empty()) << instance.to_string();
}

TEST_F(Persistence, CorruptCacheIsPutAsideAndDnsdStartsEmpty) {
    // Text that starts like a snapshot, then breaks off into binary junk (a torn write, a bad disk).
    std::string garbage = R"({"instances": [ this is not json )";
    garbage += {'\x01', '\x02', '\xff', '\0', '\n'};
    write_file(data_.path() / "cache.json", garbage);

    auto process = start();
    ASSERT_TRUE(process->started()) << "a corrupt cache.json must not stop dnsd";
    const boost::json::value list = get_json(*process, "/v1/services");
    ASSERT_TRUE(list.is_object()) << list;
    EXPECT_FALSE(list.at("services").as_object().contains("api"));

    fs::path aside;
    for (const auto& entry : fs::directory_iterator(data_.path())) {
        if (entry.path().filename().string().rfind("cache.json.corrupt-", 0) == 0) aside = entry.path();
    }
    ASSERT_FALSE(aside.empty()) << "the corrupt file is renamed to cache.json.corrupt-*";
    EXPECT_EQ(read_file(aside), garbage) << "with the original bytes, for a post-mortem";

    // And the node works normally from there.
    ASSERT_EQ(heartbeat(*process, R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    EXPECT_EQ(dns_query(process->dns_port(), "api.svc", LDNS_RR_TYPE_A).answer(LDNS_RR_TYPE_A).size(), 1u);
}

}  // namespace
}  // namespace dnsd::e2e
