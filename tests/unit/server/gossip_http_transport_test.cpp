#include "dnsd/gossip_http_transport.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "dnsd/gossip_endpoint.hpp"
#include "registry/gossip_message_json.hpp"
#include "registry/gossip_node.hpp"
#include "registry/names.hpp"

// A named namespace of its own: the test target is a unity build.
namespace dnsd::gossip_http_transport_test {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using registry::GossipMessage;
using tcp = asio::ip::tcp;

const GossipKey kKey{"a-shared-cluster-secret"};

registry::PullRequest pull_from(std::string name) {
    registry::PullRequest pull;
    pull.sender = {std::move(name), "127.0.0.1:1", 7, 0, 0};
    pull.want_full = true;
    return pull;
}

TEST(PeerEndpoint, TakesIpLiteralsWithBracketsAroundIpv6) {
    const auto v4 = parse_peer_endpoint("10.0.0.5:8054");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "10.0.0.5");
    EXPECT_EQ(v4->port, 8054);
    const auto v6 = parse_peer_endpoint("[fd00::1]:9");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "fd00::1");
    EXPECT_EQ(v6->port, 9);
    for (const char* bad : {"", "10.0.0.5", "10.0.0.5:", "10.0.0.5:0", "10.0.0.5:65536",
                            "10.0.0.5:80x", "fd00::1:80", "[fd00::1]80", "[10.0.0.5]:80",
                            "node-a.example:8054"})
        EXPECT_FALSE(parse_peer_endpoint(bad)) << bad;
}

TEST(GossipRequest, IsASignedJsonPostToTheGossipPath) {
    registry::ManualClock clock;
    GossipAuth client{kKey, clock};
    GossipAuth server{kKey, clock};
    const auto built = build_gossip_request("[::1]:8054", R"({"x":1})", client);
    const auto& request = built.request;
    EXPECT_EQ(request.method(), http::verb::post);
    EXPECT_EQ(request.target(), kGossipPath);
    EXPECT_EQ(request[http::field::host], "[::1]:8054");
    EXPECT_EQ(request[http::field::content_type], kJsonType);
    EXPECT_EQ(request[http::field::content_length], "7");
    EXPECT_FALSE(request.keep_alive());
    EXPECT_EQ(built.nonce.size(), 16u);
    EXPECT_EQ(server.check_request(request[kGossipAuthHeader], "POST", kGossipPath, request.body()),
              std::nullopt);
}

TEST(GossipRequest, CarriesNoSignatureWithoutAKey) {
    registry::ManualClock clock;
    GossipAuth open{std::nullopt, clock};
    const auto built = build_gossip_request("10.0.0.5:8054", "{}", open);
    EXPECT_EQ(built.request.find(kGossipAuthHeader), built.request.end());
}

class GossipResponse : public ::testing::Test {
protected:
    registry::ManualClock clock;
    GossipAuth client{kKey, clock};
    GossipAuth server{kKey, clock};
    GossipSignature request = client.sign_request("POST", kGossipPath, "pull");

    GossipReplyOutcome read(unsigned status, const std::string& body) {
        return read_gossip_response(status, server.sign_reply(request.nonce, kGossipPath, body),
                                    body, request.nonce, client);
    }
};

TEST_F(GossipResponse, SignedPullReplyIsDecoded) {
    registry::PullReply reply;
    reply.sender = {"n2", "127.0.0.1:2", 9, 4, 3};
    auto outcome = read(200, registry::encode_gossip(reply));
    auto* message = std::get_if<std::optional<GossipMessage>>(&outcome);
    ASSERT_TRUE(message && *message);
    EXPECT_EQ(std::get<registry::PullReply>(**message), reply);
}

TEST_F(GossipResponse, NoContentMeansNothingToPassOn) {
    auto outcome = read(204, "");
    auto* message = std::get_if<std::optional<GossipMessage>>(&outcome);
    ASSERT_TRUE(message);
    EXPECT_FALSE(*message);
}

TEST_F(GossipResponse, ErrorsBadSignaturesAndGarbageAreFailures) {
    auto status = read(401, R"({"error":"nope"})");
    ASSERT_TRUE(std::holds_alternative<GossipReplyFailure>(status));
    EXPECT_NE(std::get<GossipReplyFailure>(status).reason.find("401"), std::string::npos);

    auto garbage = read(200, "not json");
    ASSERT_TRUE(std::holds_alternative<GossipReplyFailure>(garbage));
    EXPECT_FALSE(std::get<GossipReplyFailure>(garbage).auth);

    auto unsigned_reply = read_gossip_response(204, "", "", request.nonce, client);
    ASSERT_TRUE(std::holds_alternative<GossipReplyFailure>(unsigned_reply));
    EXPECT_TRUE(std::get<GossipReplyFailure>(unsigned_reply).auth);

    const std::string signed_for_other =
        server.sign_reply(client.sign_request("POST", kGossipPath, "x").nonce, kGossipPath, "");
    auto wrong = read_gossip_response(204, signed_for_other, "", request.nonce, client);
    ASSERT_TRUE(std::holds_alternative<GossipReplyFailure>(wrong));
    EXPECT_EQ(client.counters().missing, 1u);
    EXPECT_EQ(client.counters().wrong_reply, 1u);
}

struct Recorder final : registry::GossipTransport {
    void send(const std::string&, GossipMessage) override {}
};

registry::InstanceSpec self_spec(std::uint16_t port) {
    registry::InstanceSpec spec;
    spec.service = std::string(registry::kNodeService);
    spec.id = "server";
    spec.address = *registry::IpAddress::parse("127.0.0.1");
    spec.port = port;
    spec.ttl_ms = 10'000;
    spec.node = "server";
    return spec;
}

// A real exchange on loopback: the transport against a one-connection Beast server that
// answers through handle_gossip with a real GossipNode. io.run() returns when both are done.
class GossipLoopback : public ::testing::Test {
protected:
    explicit GossipLoopback(std::optional<GossipKey> server_key = kKey,
                            std::optional<GossipKey> client_key = kKey)
        : server_auth(server_key, clock), client_auth(client_key, clock) {
        acceptor.open(tcp::v4());
        acceptor.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor.listen();
        peer = "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
        gossip.emplace(registry, net, [this] {
            registry::GossipOptions options;
            options.self = self_spec(acceptor.local_endpoint().port());
            options.rng_seed = 11;
            return options;
        }());
        gossip->start();
    }

    // Serves one request; with `answer` false it holds the connection and stops the client
    // transport instead, as a shutdown would.
    asio::awaitable<void> serve_one(bool answer) {
        tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
        if (!answer) {
            transport.stop();
            co_return;
        }
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> request;
        co_await http::async_read(socket, buffer, request, asio::use_awaitable);
        const HttpReply reply = handle_gossip(
            [this](const GossipMessage& message) { return gossip->receive(message); },
            server_auth,
            {request.method_string(), request.target(), request.body(),
             request[kGossipAuthHeader]});
        http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
        response.set(http::field::content_type, reply.content_type);
        for (const auto& [name, value] : reply.headers) response.set(name, value);
        response.body() = reply.body;
        response.prepare_payload();
        co_await http::async_write(socket, response, asio::use_awaitable);
    }

    registry::ManualClock clock;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::string peer;
    registry::Registry registry{clock};
    Recorder net;
    std::optional<registry::GossipNode> gossip;
    GossipAuth server_auth;
    GossipAuth client_auth;
    std::vector<GossipMessage> replies;
    GossipHttpTransport transport{io, client_auth,
                                  [this](GossipMessage message) {
                                      replies.push_back(std::move(message));
                                  }};
};

TEST_F(GossipLoopback, PullReplyComesBackThroughOnReply) {
    asio::co_spawn(io, serve_one(true), asio::detached);
    transport.send(peer, pull_from("client"));
    EXPECT_EQ(transport.in_flight(), 1u);
    io.run();
    ASSERT_EQ(replies.size(), 1u);
    const auto& reply = std::get<registry::PullReply>(replies[0]);
    EXPECT_EQ(reply.sender.name, "server");
    EXPECT_EQ(transport.stats().sent, 1u);
    EXPECT_EQ(transport.stats().succeeded, 1u);
    EXPECT_EQ(transport.stats().failed, 0u);
    EXPECT_GT(transport.stats().bytes_received, 0u);
    EXPECT_EQ(transport.in_flight(), 0u);
}

TEST_F(GossipLoopback, MoreThanTheLimitPerPeerIsDroppedAndCounted) {
    asio::co_spawn(io, serve_one(true), asio::detached);
    for (int i = 0; i < 6; ++i) transport.send(peer, pull_from("client"));
    EXPECT_EQ(transport.stats().sent, 4u);  // GossipTransportOptions' default
    EXPECT_EQ(transport.stats().dropped_busy, 2u);
    transport.stop();  // the server answers one at most; the rest must not wait
    io.run();
    EXPECT_TRUE(replies.empty());
    EXPECT_EQ(transport.in_flight(), 0u);
}

TEST_F(GossipLoopback, StopCancelsAnExchangeInFlight) {
    asio::co_spawn(io, serve_one(false), asio::detached);
    transport.send(peer, pull_from("client"));
    io.run();  // returns although the server never answers: stop() closed the connection
    EXPECT_TRUE(replies.empty());
    EXPECT_EQ(transport.in_flight(), 0u);
    transport.send(peer, pull_from("client"));
    EXPECT_EQ(transport.stats().sent, 1u);  // nothing is sent after stop()
}

TEST_F(GossipLoopback, UnreachablePeerAndBadAddressAreCountedFailures) {
    const std::string closed = peer;
    acceptor.close();
    transport.send(closed, pull_from("client"));
    transport.send("not-an-address", pull_from("client"));
    io.run();
    EXPECT_EQ(transport.stats().failed, 2u);
    EXPECT_TRUE(replies.empty());
}

class GossipLoopbackKeyMismatch : public GossipLoopback {
protected:
    GossipLoopbackKeyMismatch() : GossipLoopback(kKey, GossipKey{"another-cluster-secret"}) {}
};

TEST_F(GossipLoopbackKeyMismatch, ServerRefusesAndNothingIsMerged) {
    asio::co_spawn(io, serve_one(true), asio::detached);
    transport.send(peer, pull_from("client"));
    io.run();
    EXPECT_TRUE(replies.empty());
    EXPECT_EQ(transport.stats().failed, 1u);
    EXPECT_EQ(server_auth.counters().bad_mac, 1u);
}

class GossipLoopbackNoKeys : public GossipLoopback {
protected:
    GossipLoopbackNoKeys() : GossipLoopback(std::nullopt, std::nullopt) {}
};

TEST_F(GossipLoopbackNoKeys, WorksUnsigned) {
    asio::co_spawn(io, serve_one(true), asio::detached);
    transport.send(peer, pull_from("client"));
    io.run();
    EXPECT_EQ(replies.size(), 1u);
}

}  // namespace
}  // namespace dnsd::gossip_http_transport_test
