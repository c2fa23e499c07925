// Third-party health checks against real servers: a tiny HTTP and TCP server on loopback in the
// test process (its own thread), registered in a real dnsd with a check, stopped and started
// again. The instance leaves DNS when its probe fails, is "critical" in /v1/services with the
// reason, comes back when the probe passes, and is deregistered after deregister_after.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "cluster.hpp"
#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;

// A loopback server on a fixed port that answers every HTTP request with `status` (or, for a
// TCP check, just accepts). stop() closes the port: connections are refused until start().
class HealthTarget {
public:
    explicit HealthTarget(std::uint16_t port) : port_(port) {}
    ~HealthTarget() { stop(); }

    void start(unsigned status = 200) {
        stop();
        status_ = status;
        io_ = std::make_unique<asio::io_context>();
        acceptor_ = std::make_unique<tcp::acceptor>(*io_);
        const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
        acceptor_->open(endpoint.protocol());
        acceptor_->set_option(tcp::acceptor::reuse_address(true));
        acceptor_->bind(endpoint);
        acceptor_->listen();
        accept();
        thread_ = std::thread([this] { io_->run(); });
    }

    void stop() {
        if (!io_) return;
        asio::post(*io_, [this] { acceptor_->close(); });
        io_->stop();
        if (thread_.joinable()) thread_.join();
        acceptor_.reset();
        io_.reset();
    }

    std::uint16_t port() const { return port_; }
    int requests() const { return requests_.load(); }

private:
    void accept() {
        acceptor_->async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec) return;
            serve(std::make_shared<tcp::socket>(std::move(socket)));
            accept();
        });
    }

    // Reads the request head (a probe sends no body), answers, closes. A TCP check sends
    // nothing and closes: the read then ends with an error and nothing is written.
    void serve(std::shared_ptr<tcp::socket> socket) {
        auto buffer = std::make_shared<asio::streambuf>(8192);
        asio::async_read_until(*socket, *buffer, "\r\n\r\n",
                               [this, socket, buffer](boost::system::error_code ec, std::size_t) {
                                   if (ec) return;
                                   ++requests_;
                                   auto reply = std::make_shared<std::string>(
                                       "HTTP/1.1 " + std::to_string(status_) +
                                       (status_ == 200 ? " OK" : " Service Unavailable") +
                                       "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                                   asio::async_write(*socket, asio::buffer(*reply),
                                                     [socket, reply](boost::system::error_code, std::size_t) {});
                               });
    }

    std::uint16_t port_;
    unsigned status_ = 200;
    std::atomic<int> requests_{0};
    std::unique_ptr<asio::io_context> io_;
    std::unique_ptr<tcp::acceptor> acceptor_;
    std::thread thread_;
};

class HealthChecks : public DnsdTest {
protected:
    // The SRV targets dnsd answers for `service`, e.g. {"0 100 8861 w1.web.svc."}.
    std::vector<std::string> srv(const std::string& service) {
        const DnsReply reply = dns_query(dns_port(), service + ".svc", LDNS_RR_TYPE_SRV);
        if (!reply.ok()) return {"no reply: " + reply.failure()};
        return rdata_texts(reply.answer(LDNS_RR_TYPE_SRV));
    }
    bool in_dns(const std::string& service, const std::string& id) {
        for (const auto& record : srv(service))
            if (record.find(" " + id + "." + service + ".svc.") != std::string::npos) return true;
        return false;
    }
    std::string health(const std::string& service, const std::string& id) {
        const auto instance = find_instance(dnsd(), service, id);
        if (!instance.is_object() || !instance.as_object().contains("health")) return "absent";
        return std::string(instance.at("health").as_string());
    }
    std::string check_output(const std::string& service, const std::string& id) {
        const auto instance = find_instance(dnsd(), service, id);
        if (!instance.is_object() || !instance.as_object().contains("check_output")) return "";
        return std::string(instance.at("check_output").as_string());
    }
    HttpResponse register_checked(const std::string& service, const std::string& id, std::uint16_t port,
                                  const std::string& check) {
        return heartbeat(dnsd(), R"({"service":")" + service + R"(","id":")" + id +
                                     R"(","address":"127.0.0.1","port":)" + std::to_string(port) +
                                     R"(,"check":)" + check + "}");
    }
};

TEST_F(HealthChecks, HttpCheckTakesTheInstanceOutOfDnsAndBack) {
    HealthTarget target(pick_free_port());
    target.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(target.port()) + "/status";
    ASSERT_EQ(register_checked("web", "w1", target.port(), R"({"http":")" + url + R"(","interval":0.3,"timeout":0.2})")
                  .status, 200u);
    // Beside it, an instance without a check: never touched by any of this.
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"web","id":"w2","address":"127.0.0.2","port":80,"ttl":60})").status,
              200u);
    ASSERT_TRUE(eventually([&] { return in_dns("web", "w1"); }, 3000ms)) << ::testing::PrintToString(srv("web"));
    EXPECT_EQ(health("web", "w1"), "passing");
    EXPECT_EQ(health("web", "w2"), "passing");
    EXPECT_GE(target.requests(), 1);

    target.stop();
    ASSERT_TRUE(eventually([&] { return !in_dns("web", "w1"); }, 3000ms)) << "still answered with its server down";
    EXPECT_TRUE(in_dns("web", "w2"));
    EXPECT_EQ(health("web", "w1"), "critical");
    EXPECT_NE(check_output("web", "w1").find("127.0.0.1:" + std::to_string(target.port())), std::string::npos)
        << check_output("web", "w1");
    const auto services = get_json(dnsd(), "/v1/services");
    EXPECT_EQ(number(services.at("services").at("web").at("critical")), 1);

    target.start();
    ASSERT_TRUE(eventually([&] { return in_dns("web", "w1"); }, 3000ms)) << "not back with its server up";
    EXPECT_EQ(health("web", "w1"), "passing");
}

TEST_F(HealthChecks, HttpErrorStatusIsCriticalWithTheStatusAsReason) {
    HealthTarget target(pick_free_port());
    target.start(503);
    const std::string url = "http://127.0.0.1:" + std::to_string(target.port()) + "/";
    ASSERT_EQ(register_checked("web", "w1", target.port(), R"({"http":")" + url + R"(","interval":0.3})").status,
              200u);
    ASSERT_TRUE(eventually([&] { return check_output("web", "w1") == "HTTP 503 Service Unavailable"; }, 3000ms))
        << check_output("web", "w1");
    EXPECT_FALSE(in_dns("web", "w1"));
    const DnsReply reply = dns_query(dns_port(), "web.svc", LDNS_RR_TYPE_A);
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR) << "a known service without healthy instances is NODATA";
}

TEST_F(HealthChecks, TcpCheckDeregistersAfterDeregisterAfter) {
    HealthTarget target(pick_free_port());
    target.start();
    const std::string address = "127.0.0.1:" + std::to_string(target.port());
    ASSERT_EQ(register_checked("db", "d1", target.port(),
                               R"({"tcp":")" + address + R"(","interval":0.3,"timeout":0.2,"deregister_after":1.5})")
                  .status, 200u);
    ASSERT_TRUE(eventually([&] { return in_dns("db", "d1"); }, 3000ms));

    target.stop();
    const auto stopped = std::chrono::steady_clock::now();
    ASSERT_TRUE(eventually([&] { return !in_dns("db", "d1"); }, 3000ms));
    EXPECT_EQ(health("db", "d1"), "critical");
    ASSERT_TRUE(eventually([&] { return find_instance(dnsd(), "db", "d1").is_null(); }, 6000ms))
        << "not deregistered after being critical for deregister_after";
    EXPECT_GE(std::chrono::steady_clock::now() - stopped, 1400ms);
    // Deregistered as DELETE does: a tombstone, so the instance is gone, not merely critical.
    EXPECT_EQ(http_delete(http_port(), "/v1/instances/db/d1").status, 404u);
}

TEST_F(HealthChecks, SyncRunsTheProbesNow) {
    HealthTarget target(pick_free_port());
    target.start();
    const std::string address = "127.0.0.1:" + std::to_string(target.port());
    // Ten minutes between probes: only the first (at once) and POST /v1/sync probe it.
    ASSERT_EQ(register_checked("db", "d1", target.port(), R"({"tcp":")" + address + R"(","interval":600,"timeout":1})")
                  .status, 200u);
    ASSERT_TRUE(eventually([&] { return health("db", "d1") == "passing"; }, 3000ms));
    target.stop();
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(health("db", "d1"), "passing") << "probed again without being due";
    ASSERT_EQ(http_post_json(http_port(), "/v1/sync", "").status, 200u);
    // The reply comes once the probes it started have ended.
    EXPECT_EQ(health("db", "d1"), "critical");
    EXPECT_FALSE(in_dns("db", "d1"));
}

TEST_F(HealthChecks, BadCheckIsRefusedAndNothingIsRegistered) {
    const auto reply = register_checked("api", "a1", 8861, R"({"http":"https://127.0.0.1:8861/","interval":10})");
    EXPECT_EQ(reply.status, 400u);
    const auto body = reply.json();
    ASSERT_TRUE(body && body->is_object());
    EXPECT_NE(std::string(body->at("error").as_string()).find("check.http"), std::string::npos) << reply.body;
    EXPECT_EQ(register_checked("api", "a1", 8861, R"({"tcp":"127.0.0.1:8861","interval":1,"timeout":2})").status,
              400u);
    EXPECT_EQ(register_checked("api", "a1", 8861, R"({"tcp":"127.0.0.1:8861","interval":-1})").status, 400u);
    EXPECT_EQ(http_get(http_port(), "/v1/services/api").status, 404u);
}

TEST_F(HealthChecks, MetricsCountProbesAndCriticalInstances) {
    HealthTarget target(pick_free_port());
    const std::string address = "127.0.0.1:" + std::to_string(target.port());
    ASSERT_EQ(register_checked("db", "d1", target.port(), R"({"tcp":")" + address + R"(","interval":0.3,"timeout":0.2})")
                  .status, 200u);
    ASSERT_TRUE(eventually([&] { return health("db", "d1") == "critical" && check_output("db", "d1").find("connect") != std::string::npos; }, 3000ms))
        << check_output("db", "d1");
    const std::string metrics = http_get(http_port(), "/metrics").body;
    EXPECT_NE(metrics.find("dnsd_health_critical_instances 1\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("dnsd_health_checks 1\n"), std::string::npos);
    EXPECT_NE(metrics.find("dnsd_health_probes_failed_total "), std::string::npos);
}

// The health travels with the instance: a node that does not probe it drops it from DNS too.
TEST(HealthChecksCluster, EveryNodeDropsACriticalInstance) {
    ClusterOptions options;
    options.size = 2;
    Cluster cluster(options);
    ASSERT_TRUE(cluster.started()) << cluster.start_failure() << cluster.logs();
    HealthTarget target(pick_free_port());
    target.start();
    const std::string address = "127.0.0.1:" + std::to_string(target.port());
    const auto reply = http_post_json(cluster.node(0).http_port(), "/v1/heartbeat",
                                      R"({"service":"db","id":"d1","address":"127.0.0.1","port":)" +
                                          std::to_string(target.port()) + R"(,"check":{"tcp":")" + address +
                                          R"(","interval":0.3,"timeout":0.2}})");
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const std::uint16_t other = cluster.node(1).dns_port();
    ASSERT_TRUE(eventually([&] { return dns_has_instance(other, "db", "d1"); }, 5000ms)) << cluster.logs();

    target.stop();
    ASSERT_TRUE(eventually([&] { return !dns_has_instance(other, "db", "d1"); }, 5000ms))
        << "the node that does not probe still answers a critical instance";
    const auto view = http_get(cluster.node(1).http_port(), "/v1/services/db").json();
    ASSERT_TRUE(view && view->is_object());
    EXPECT_EQ(view->at("instances").at(0).at("health").as_string(), "critical");

    target.start();
    EXPECT_TRUE(eventually([&] { return dns_has_instance(other, "db", "d1"); }, 5000ms));
}

}  // namespace
}  // namespace dnsd::e2e
