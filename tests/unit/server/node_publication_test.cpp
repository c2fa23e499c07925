// Node's publication once per control-loop turn, and the HTTP replies held until it: driven
// through handle_request on an io_context this test runs by hand (no sockets, no sleeping).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "dnsd/http_handlers.hpp"
#include "dnsd/node.hpp"
#include "registry/clock.hpp"

namespace dnsd {
namespace {

namespace asio = boost::asio;

class NodePublication : public ::testing::Test {
protected:
    NodePublication() : node_(io_, publication_config(), clock_) {}

    ~NodePublication() override {
        std::error_code ignored;
        std::filesystem::remove_all(publication_data_dir(), ignored);
    }

    static std::filesystem::path publication_data_dir() {
        return std::filesystem::temp_directory_path() /
               ("dnsd-node-publication-test-" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    }

    static Config publication_config() {
        Config config;
        config.node_name = "node-p.example";
        config.node_label = "node-p";
        config.data_dir = publication_data_dir();
        return config;
    }

    // A request in flight: its strings outlive the handler, its reply lands here.
    struct Pending {
        std::string method, target, body;
        std::optional<HttpReply> reply;
    };

    void start(Pending& p) {
        const RequestView view{p.method, p.target, p.body, "", *registry::IpAddress::parse("10.0.0.9")};
        asio::co_spawn(io_, handle_request(node_, view), [&p](std::exception_ptr error, HttpReply reply) {
            if (error) std::rethrow_exception(error);
            p.reply = std::move(reply);
        });
    }

    static Pending post_heartbeat(const std::string& id) {
        return {"POST", "/v1/heartbeat",
                R"({"service":"api","address":"10.0.0.5","port":80,"id":")" + id + R"("})", {}};
    }

    // Ready handlers only, one at a time, checking after each that no reply about a change
    // went out before the zone that carries it: "200" must mean "answered in DNS".
    void run_checking(std::vector<Pending*> requests) {
        io_.restart();
        for (int step = 0; step < 1000 && io_.poll_one() > 0; ++step) {
            for (const Pending* p : requests) {
                if (!p->reply || p->reply->status != 200) continue;
                const auto index = boost::json::parse(p->reply->body).at("index").to_number<std::uint64_t>();
                EXPECT_GE(node_.published_index(), index) << p->target << " " << p->body;
            }
        }
    }

    std::string publish_count() {
        const std::string text = node_.metrics().render(node_.registry());
        const std::string key = "\ndnsd_publish_delay_seconds_count ";
        const auto at = text.find(key);
        if (at == std::string::npos) return "absent";
        return text.substr(at + key.size(), text.find('\n', at + key.size()) - at - key.size());
    }

    registry::ManualClock clock_;
    asio::io_context io_;
    Node node_;
};

TEST_F(NodePublication, ChangesOfOneTurnShareOnePublication) {
    const auto generation = node_.zones().generation();
    Pending a = post_heartbeat("a"), b = post_heartbeat("b"), c = post_heartbeat("c");
    start(a);
    start(b);
    start(c);
    run_checking({&a, &b, &c});
    ASSERT_TRUE(a.reply && b.reply && c.reply);
    EXPECT_EQ(a.reply->status, 200u);
    EXPECT_EQ(c.reply->status, 200u);
    EXPECT_EQ(node_.zones().generation(), generation + 1);  // three changes, one zone
    EXPECT_EQ(node_.published_index(), node_.registry().index());
    EXPECT_EQ(publish_count(), "1");
}

TEST_F(NodePublication, EachTurnPublishesWhatItChanged) {
    Pending a = post_heartbeat("a");
    start(a);
    run_checking({&a});
    Pending b = post_heartbeat("b");
    start(b);
    run_checking({&b});
    ASSERT_TRUE(a.reply && b.reply);
    EXPECT_EQ(publish_count(), "2");
    EXPECT_EQ(node_.published_index(), node_.registry().index());
}

TEST_F(NodePublication, ARenewalNeitherPublishesNorWaits) {
    Pending first = post_heartbeat("a");
    start(first);
    run_checking({&first});
    const auto generation = node_.zones().generation();
    Pending renewal = post_heartbeat("a");
    start(renewal);
    io_.restart();
    io_.poll();
    // Answered although no publication ran, so nothing could have woken a waiting reply.
    ASSERT_TRUE(renewal.reply);
    EXPECT_EQ(renewal.reply->status, 200u);
    EXPECT_EQ(node_.zones().generation(), generation);
    EXPECT_EQ(publish_count(), "1");
}

TEST_F(NodePublication, ARenewalOfAnUnpublishedInstanceWaitsForIt) {
    // Two connections: the first registers, the second renews the same instance in the same
    // turn. The second must not report an instance that DNS does not answer yet.
    Pending create = post_heartbeat("a"), renew = post_heartbeat("a");
    start(create);
    start(renew);
    run_checking({&create, &renew});
    ASSERT_TRUE(create.reply && renew.reply);
    EXPECT_EQ(renew.reply->status, 200u);
}

TEST_F(NodePublication, ADeregistrationIsAnsweredOnceDnsForgot) {
    Pending create = post_heartbeat("a");
    start(create);
    run_checking({&create});
    Pending gone{"DELETE", "/v1/instances/api/a", "", {}};
    start(gone);
    run_checking({&gone});
    ASSERT_TRUE(gone.reply);
    EXPECT_EQ(gone.reply->status, 200u) << gone.reply->body;
    EXPECT_EQ(node_.published_index(), node_.registry().index());
    EXPECT_EQ(publish_count(), "2");
}

TEST_F(NodePublication, StopReleasesHeldReplies) {
    Pending a = post_heartbeat("a");
    start(a);
    const auto index = node_.registry().index();
    io_.restart();
    // Up to the commit: the handler now waits, the publication is posted and has not run.
    for (int step = 0; step < 100 && node_.registry().index() == index; ++step)
        ASSERT_EQ(io_.poll_one(), 1u);
    ASSERT_GT(node_.registry().index(), index);
    EXPECT_FALSE(a.reply);
    EXPECT_LT(node_.published_index(), node_.registry().index());
    node_.stop();                   // publishes what is due at once
    io_.restart();
    io_.poll();
    ASSERT_TRUE(a.reply);
    EXPECT_EQ(a.reply->status, 200u);
    EXPECT_EQ(node_.published_index(), node_.registry().index());
}

}  // namespace
}  // namespace dnsd
