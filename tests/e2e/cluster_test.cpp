// Issue 4 end to end: five real dnsd processes gossiping on loopback (tests/e2e/cluster.hpp).
// Everything is checked the way a client sees it: through DNS (ldns) on every node, with
// bounded polls whose durations are printed, so the run shows how fast the cluster converged.
// Gossip interval 0.2 s. A dead node must leave dnsd.svc within its own lease, as its peers hold it.
#include <csignal>
#include <cstdio>
#include <thread>

#include "cluster.hpp"
#include "harness.hpp"
#include "registry/gossip_message_json.hpp"

// A named namespace: test_e2e is a unity build, anonymous namespaces of files batched
// together would share names.
namespace dnsd::e2e::cluster_e2e {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

constexpr auto membership_bound = 15s;  // target: 2*log2(5) = 4.6 rounds, i.e. about 1 s
constexpr auto spread_bound = 10s;      // target: log2(5)+2 = 4.3 rounds, i.e. about 1 s
// What a dead node may take to leave dnsd.svc beyond its own lease: a sweep (one round) and
// the DNS snapshot rebuild, with room for a loaded machine.
constexpr auto expiry_slack = 3s;

std::string heartbeat_body(const std::string& service, const std::string& id, int port) {
    return R"({"service":")" + service + R"(","id":")" + id + R"(","address":"10.0.0.7","port":)" +
           std::to_string(port) + R"(,"ttl":60})";
}

HttpResponse heartbeat_http(const ClusterNode& node, const std::string& body) {
    return http_post_json(node.http_port(), "/v1/heartbeat", body);
}

class ClusterTest : public ::testing::Test {
protected:
    void SetUp() override { start(ClusterOptions{}); }

    void start(ClusterOptions options) {
        cluster_ = std::make_unique<Cluster>(std::move(options));
        ASSERT_TRUE(cluster_->started()) << cluster_->start_failure();
    }

    void TearDown() override {
        if (HasFailure() && cluster_) std::fprintf(stderr, "%s", cluster_->logs().c_str());
    }

    // True when `check` holds on every running node of the cluster.
    bool on_all(const std::function<bool(ClusterNode&)>& check) {
        for (auto& node : cluster_->nodes()) {
            if (node->running() && !check(*node)) return false;
        }
        return true;
    }

    // The names and HTTP ports every node should list under dnsd.svc.
    std::map<std::string, std::uint16_t> expected_members(const std::string& except = "") {
        std::map<std::string, std::uint16_t> members;
        for (auto& node : cluster_->nodes()) {
            if (node->name() != except) members[node->name()] = node->http_port();
        }
        return members;
    }

    bool lists_exactly(ClusterNode& node, const std::map<std::string, std::uint16_t>& members) {
        const auto listed = dns_members(node.dns_port());
        return listed && *listed == members;
    }

    // Waits until every running node lists every node; the time it took, or fails the test.
    long long await_membership(const char* what) {
        const auto began = Steady::now();
        const auto all = expected_members();
        const bool whole = eventually([&] { return on_all([&](ClusterNode& n) { return lists_exactly(n, all); }); },
                                      membership_bound, 50ms);
        const long long took = elapsed_ms(began);
        EXPECT_TRUE(whole) << what << ": not every node lists all " << all.size()
                           << " nodes in SRV dnsd.svc within " << membership_bound.count() << " s; "
                           << describe_members();
        std::printf("[ cluster  ] %s: every node lists all %zu nodes after %lld ms\n", what, all.size(), took);
        return took;
    }

    // Waits until `service`/`id` is (or is not) answered by DNS on every running node.
    bool await_instance_everywhere(const std::string& service, const std::string& id, bool present,
                                   const char* what) {
        const auto began = Steady::now();
        const bool done = eventually(
            [&] { return on_all([&](ClusterNode& n) { return dns_has_instance(n.dns_port(), service, id) == present; }); },
            spread_bound, 20ms);
        std::printf("[ cluster  ] %s: %s on all nodes after %lld ms%s\n", what,
                    present ? "answered" : "gone", elapsed_ms(began), done ? "" : " (NOT converged)");
        return done;
    }

    std::string describe_members() {
        std::string out;
        for (auto& node : cluster_->nodes()) {
            out += node->name() + (node->running() ? "" : "(down)") + " lists {";
            if (const auto listed = dns_members(node->dns_port())) {
                for (const auto& [name, port] : *listed) out += name + ":" + std::to_string(port) + " ";
            } else {
                out += "no DNS answer";
            }
            out += "} ";
        }
        return out;
    }

    // The "ttl" (seconds) of node `member`'s own instance in `node`'s /v1/services/dnsd.
    static std::optional<double> self_lease_s(const ClusterNode& node, const std::string& member) {
        const auto json = http_get(node.http_port(), "/v1/services/dnsd").json();
        if (!json || !json->is_object()) return std::nullopt;
        const auto* instances = json->as_object().if_contains("instances");
        if (instances == nullptr || !instances->is_array()) return std::nullopt;
        for (const auto& instance : instances->as_array()) {
            if (!instance.is_object()) continue;
            const auto* id = instance.as_object().if_contains("id");
            const auto* ttl = instance.as_object().if_contains("ttl");
            if (id != nullptr && id->is_string() && id->as_string() == member && ttl != nullptr)
                return number(*ttl);
        }
        return std::nullopt;
    }

    std::unique_ptr<Cluster> cluster_;
};

TEST_F(ClusterTest, EveryNodeListsAllFiveInDnsdSrvWithTheirHttpPorts) {
    await_membership("membership from a chain of joins");
    std::printf("[ cluster  ] (that is %lld ms after n5 was launched)\n", elapsed_ms(cluster_->last_launch()));
    // And the list is stable: no node flaps out while everyone renews every round.
    const auto all = expected_members();
    for (int round = 0; round < 10; ++round) {
        ASSERT_TRUE(on_all([&](ClusterNode& n) { return lists_exactly(n, all); }))
            << "round " << round << ": " << describe_members();
        std::this_thread::sleep_for(200ms);
    }
}

TEST_F(ClusterTest, HeartbeatOnOneNodeIsAnsweredByDnsOnAllFive) {
    await_membership("before the heartbeat");
    const HttpResponse response = heartbeat_http(cluster_->node(0), heartbeat_body("api", "web-1", 8080));
    ASSERT_EQ(response.status, 200u) << response.body;
    EXPECT_TRUE(await_instance_everywhere("api", "web-1", true, "heartbeat on n1"));
    // The instance's fields travel too, not only its name.
    for (auto& node : cluster_->nodes()) {
        const DnsReply reply = dns_query(node->dns_port(), "web-1.api.svc", LDNS_RR_TYPE_A);
        EXPECT_EQ(rdata_texts(reply.answer(LDNS_RR_TYPE_A)), std::vector<std::string>{"10.0.0.7"})
            << node->name() << ": " << reply.to_string();
    }
}

TEST_F(ClusterTest, DeregistrationOnAnotherNodeReachesAllAndIsNotUndone) {
    await_membership("before the heartbeat");
    ASSERT_EQ(heartbeat_http(cluster_->node(0), heartbeat_body("api", "web-1", 8080)).status, 200u);
    ASSERT_TRUE(await_instance_everywhere("api", "web-1", true, "heartbeat on n1"));

    const HttpResponse deleted = http_delete(cluster_->node(2).http_port(), "/v1/instances/api/web-1");
    ASSERT_EQ(deleted.status, 200u) << deleted.body;
    EXPECT_TRUE(await_instance_everywhere("api", "web-1", false, "DELETE on n3"));
    // Older copies keep circulating for a while (pulls, pushes in flight, n1's own change
    // log): none of them may bring it back. 15 rounds.
    for (int step = 0; step < 30; ++step) {
        ASSERT_TRUE(on_all([](ClusterNode& n) { return !dns_has_instance(n.dns_port(), "api", "web-1"); }))
            << "resurrected at step " << step;
        std::this_thread::sleep_for(100ms);
    }
}

TEST_F(ClusterTest, KilledNodeDropsOutWithinItsLeaseAndRestartRejoinsAndCatchesUp) {
    await_membership("before kill -9");
    ASSERT_EQ(heartbeat_http(cluster_->node(0), heartbeat_body("api", "keep", 8080)).status, 200u);
    ASSERT_EQ(heartbeat_http(cluster_->node(1), heartbeat_body("api", "doomed", 8081)).status, 200u);
    ASSERT_TRUE(await_instance_everywhere("api", "keep", true, "heartbeat on n1"));
    ASSERT_TRUE(await_instance_everywhere("api", "doomed", true, "heartbeat on n2"));
    // Let n4 write its snapshot with "doomed" in it: the restart must not bring it back.
    ASSERT_TRUE(eventually([&] { return read_file(cluster_->node(3).data_dir() / "cache.json").find("doomed") != std::string::npos; },
                           5s, 100ms));

    // n4's own lease, as n1 holds it: n4 must be gone everywhere within it (plus a sweep).
    const auto lease_s = self_lease_s(cluster_->node(0), "n4");
    ASSERT_TRUE(lease_s.has_value()) << "n1's /v1/services/dnsd has no n4 with a ttl";
    const auto bound = std::chrono::milliseconds(static_cast<long long>(*lease_s * 1000)) + expiry_slack;

    ClusterNode& n4 = cluster_->node(3);
    n4.kill9();
    const auto killed = Steady::now();
    const auto without_n4 = expected_members("n4");
    const bool dropped = eventually(
        [&] { return on_all([&](ClusterNode& n) { return lists_exactly(n, without_n4); }); }, bound, 50ms);
    std::printf("[ cluster  ] kill -9 n4: gone from dnsd.svc on all others after %lld ms (its lease: %.0f s)\n",
                elapsed_ms(killed), *lease_s);
    ASSERT_TRUE(dropped) << "n4 still listed " << bound.count() << " ms after kill -9: " << describe_members();

    // While n4 is away: a deregistration and a new instance it must learn of.
    ASSERT_EQ(http_delete(cluster_->node(1).http_port(), "/v1/instances/api/doomed").status, 200u);
    ASSERT_EQ(heartbeat_http(cluster_->node(0), heartbeat_body("api", "late", 8082)).status, 200u);
    ASSERT_TRUE(await_instance_everywhere("api", "doomed", false, "DELETE on n2 (n4 down)"));
    ASSERT_TRUE(await_instance_everywhere("api", "late", true, "heartbeat on n1 (n4 down)"));

    const auto restarted = Steady::now();
    ASSERT_TRUE(n4.start()) << n4.failure();
    await_membership("n4 restarted on the same ports and data dir");
    const bool caught_up = eventually(
        [&] {
            return dns_has_instance(n4.dns_port(), "api", "late") && dns_has_instance(n4.dns_port(), "api", "keep") &&
                   !dns_has_instance(n4.dns_port(), "api", "doomed");
        },
        spread_bound, 20ms);
    std::printf("[ cluster  ] restarted n4 answers the registry as the others do after %lld ms\n",
                elapsed_ms(restarted));
    EXPECT_TRUE(caught_up);
    // n4's snapshot still had "doomed": neither it nor its gossip may revive it anywhere.
    for (int step = 0; step < 20; ++step) {
        ASSERT_TRUE(on_all([](ClusterNode& n) { return !dns_has_instance(n.dns_port(), "api", "doomed"); }))
            << "doomed resurrected at step " << step;
        std::this_thread::sleep_for(100ms);
    }
}

TEST_F(ClusterTest, GossipNeverExtendsALeaseBeyondWhatTheSourceGave) {
    await_membership("before the heartbeat");
    const auto sent = Steady::now();
    ASSERT_EQ(heartbeat_http(cluster_->node(0),
                             R"({"service":"api","id":"short","address":"10.0.0.8","port":8080,"ttl":2})")
                  .status,
              200u);
    ASSERT_TRUE(await_instance_everywhere("api", "short", true, "heartbeat with ttl 2 on n1"));
    // Copies relayed node to node carry their age: nowhere may it outlive the 2 s that n1
    // gave it (slack: polling and a pull's round trip on a loaded machine).
    const bool expired = eventually(
        [&] { return on_all([](ClusterNode& n) { return !dns_has_instance(n.dns_port(), "api", "short"); }); },
        2500ms, 20ms);
    const long long took = elapsed_ms(sent);
    std::printf("[ cluster  ] ttl 2 s instance gone from DNS on all nodes %lld ms after its heartbeat\n", took);
    EXPECT_TRUE(expired) << "still answered somewhere 2.5 s after a heartbeat with ttl 2";
    for (int step = 0; step < 10; ++step) {
        ASSERT_TRUE(on_all([](ClusterNode& n) { return !dns_has_instance(n.dns_port(), "api", "short"); }))
            << "came back at step " << step;
        std::this_thread::sleep_for(100ms);
    }
}

TEST_F(ClusterTest, FrozenNodeThatMissedADeregistrationDoesNotBringItBack) {
    await_membership("before SIGSTOP");
    ASSERT_EQ(heartbeat_http(cluster_->node(1), heartbeat_body("api", "victim", 8080)).status, 200u);
    ASSERT_TRUE(await_instance_everywhere("api", "victim", true, "heartbeat on n2"));

    ClusterNode& n2 = cluster_->node(1);
    ASSERT_TRUE(n2.signal(SIGSTOP));
    const auto others_lack_it = [&] {
        for (auto& node : cluster_->nodes()) {
            if (node.get() != &n2 && dns_has_instance(node->dns_port(), "api", "victim")) return false;
        }
        return true;
    };
    ASSERT_EQ(http_delete(cluster_->node(2).http_port(), "/v1/instances/api/victim").status, 200u);
    EXPECT_TRUE(eventually(others_lack_it, spread_bound, 20ms));
    // 2 s = 10 rounds frozen: n2 still holds the instance (lease 60 s) and its own change
    // that created it; its peers have the tombstone.
    std::this_thread::sleep_for(2s);
    ASSERT_TRUE(n2.signal(SIGCONT));
    const auto resumed = Steady::now();
    EXPECT_TRUE(eventually([&] { return !dns_has_instance(n2.dns_port(), "api", "victim"); }, spread_bound, 20ms))
        << "n2 kept answering an instance deregistered while it was frozen";
    std::printf("[ cluster  ] n2 frozen 2 s: dropped the instance deregistered meanwhile %lld ms after SIGCONT\n",
                elapsed_ms(resumed));
    for (int step = 0; step < 20; ++step) {
        ASSERT_TRUE(on_all([](ClusterNode& n) { return !dns_has_instance(n.dns_port(), "api", "victim"); }))
            << "resurrected at step " << step;
        std::this_thread::sleep_for(100ms);
    }
    await_membership("after SIGCONT");
}

TEST_F(ClusterTest, NodeStoppedWithSigtermLeavesDnsdSrvEverywhereLongBeforeItsLease) {
    await_membership("before SIGTERM");
    const auto lease_s = self_lease_s(cluster_->node(0), "n5");
    ASSERT_TRUE(lease_s.has_value());
    const auto stopped = Steady::now();
    const ExitStatus status = cluster_->node(4).terminate();
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
    const auto without_n5 = expected_members("n5");
    // It announced its leave: a few rounds, not the lease.
    const bool gone = eventually(
        [&] { return on_all([&](ClusterNode& n) { return lists_exactly(n, without_n5); }); }, 3s, 20ms);
    std::printf("[ cluster  ] SIGTERM n5: gone from dnsd.svc on all others after %lld ms (its lease: %.0f s)\n",
                elapsed_ms(stopped), *lease_s);
    EXPECT_TRUE(gone) << describe_members();
}

class KeyedClusterTest : public ClusterTest {
protected:
    void SetUp() override {
        ClusterOptions options;
        options.gossip_key = "cluster-secret-4b1e9f0c7d2a";
        start(std::move(options));
    }

    double auth_failures_on_members() {
        double sum = 0;
        for (auto& node : cluster_->nodes()) {
            const auto value = metric_sum(node->http_port(), "dnsd_gossip_auth_failures_total");
            EXPECT_TRUE(value.has_value()) << node->name() << ": /metrics has no dnsd_gossip_auth_failures_total";
            sum += value.value_or(0);
        }
        return sum;
    }
};

TEST_F(KeyedClusterTest, NodesWithTheSharedKeyFormTheClusterAndSpreadHeartbeats) {
    await_membership("all nodes with --gossip-key-file");
    ASSERT_EQ(heartbeat_http(cluster_->node(1), heartbeat_body("api", "signed", 8080)).status, 200u);
    EXPECT_TRUE(await_instance_everywhere("api", "signed", true, "heartbeat on n2 (keyed)"));
    EXPECT_EQ(auth_failures_on_members(), 0.0) << "members rejected each other's gossip";
}

TEST_F(KeyedClusterTest, NodeWithAnotherKeyIsNotJoinedAndItsGossipIsRejectedAndCounted) {
    await_membership("all nodes with --gossip-key-file");
    const double failures_before = auth_failures_on_members();

    ClusterNode& stranger = cluster_->add_node("x1", std::string("some-other-key-77aa"),
                                               {cluster_->node(0).address(), cluster_->node(2).address()});
    ASSERT_TRUE(stranger.failure().empty()) << stranger.failure();
    ASSERT_EQ(heartbeat_http(stranger, heartbeat_body("intruder", "x", 8080)).status, 200u);

    // Its pulls to n1 and n3 (it knows no one else) are rejected and counted there.
    const auto began = Steady::now();
    EXPECT_TRUE(eventually([&] { return auth_failures_on_members() > failures_before; }, 5s, 100ms))
        << "dnsd_gossip_auth_failures_total did not rise on the members";
    std::printf("[ cluster  ] wrong-key node: first auth failure counted after %lld ms\n", elapsed_ms(began));

    // A well-formed but unsigned gossip message straight to a member: rejected, and counted.
    registry::PullRequest pull;
    pull.sender = {"x2", "127.0.0.1:1", 1, 0, 0};
    pull.want_full = true;
    const double before_unsigned = auth_failures_on_members();
    const HttpResponse unsigned_pull =
        http_post_json(cluster_->node(0).http_port(), "/v1/gossip", registry::encode_gossip(pull));
    EXPECT_GE(unsigned_pull.status, 400u) << unsigned_pull.body;
    EXPECT_LT(unsigned_pull.status, 500u) << unsigned_pull.body;
    EXPECT_EQ(unsigned_pull.body.find("\"changes\""), std::string::npos) << "an unsigned pull got registry data";
    EXPECT_TRUE(eventually([&] { return auth_failures_on_members() > before_unsigned; }, 2s, 50ms));

    // 3 s = 15 rounds: far more than the ~1 s a heartbeat needs to reach everyone.
    std::this_thread::sleep_for(3s);
    const auto members = expected_members();
    for (auto& node : cluster_->nodes()) {
        EXPECT_FALSE(dns_has_instance(node->dns_port(), "intruder", "x")) << node->name() << " took the stranger's heartbeat";
        EXPECT_TRUE(lists_exactly(*node, members)) << node->name() << ": " << describe_members();
    }
    const auto strangers_view = dns_members(stranger.dns_port());
    ASSERT_TRUE(strangers_view.has_value());
    EXPECT_EQ(strangers_view->size(), 1u) << "the wrong-key node learned members it must not have";
}

}  // namespace dnsd::e2e::cluster_e2e
