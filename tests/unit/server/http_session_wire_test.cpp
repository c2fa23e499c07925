// The response head the session writes itself (not through Beast's serializer): status line,
// Content-Length, HEAD without a body, and the Connection header of HTTP/1.0 and 1.1.
#include <chrono>
#include <filesystem>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "dnsd/http_server.hpp"
#include "dnsd/node.hpp"
#include "registry/clock.hpp"

namespace dnsd {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class HttpWireTest : public ::testing::Test {
protected:
    HttpWireTest() : node_(io_, wire_test_config(), clock_), server_(node_, HostPort{"127.0.0.1", 0}) {
        server_.start();
    }

    static Config wire_test_config() {
        Config config;
        config.node_name = "node-w";
        config.node_label = "node-w";
        config.data_dir = std::filesystem::temp_directory_path() / "dnsd-http-wire-test";
        return config;
    }

    // Sends `raw` on a new connection and returns what came back: everything until the server
    // closed, or (keep-alive) the head and the Content-Length bytes after it.
    std::string exchange_raw(const std::string& raw, bool until_close) {
        std::string received;
        bool finished = false;
        asio::co_spawn(
            io_,
            [&]() -> asio::awaitable<void> {
                tcp::socket socket(io_);
                co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), server_.port()},
                                              asio::use_awaitable);
                co_await asio::async_write(socket, asio::buffer(raw), asio::use_awaitable);
                auto buffer = asio::dynamic_buffer(received);
                if (until_close) {
                    co_await asio::async_read(socket, buffer, asio::as_tuple(asio::use_awaitable));
                } else {
                    auto [ec, head_end] = co_await asio::async_read_until(
                        socket, buffer, "\r\n\r\n", asio::as_tuple(asio::use_awaitable));
                    const auto at = received.find("Content-Length: ");
                    if (!ec && at != std::string::npos) {
                        const std::size_t length = std::stoul(received.substr(at + 16));
                        if (received.size() < head_end + length)
                            co_await asio::async_read(socket, buffer,
                                                      asio::transfer_exactly(head_end + length - received.size()),
                                                      asio::as_tuple(asio::use_awaitable));
                    }
                }
                finished = true;
            },
            asio::detached);
        for (int i = 0; i < 500 && !finished; ++i) io_.run_one_for(std::chrono::milliseconds(10));
        EXPECT_TRUE(finished) << "no complete answer to: " << raw;
        return received;
    }

    registry::ManualClock clock_;
    asio::io_context io_;
    Node node_;
    HttpServer server_;
};

std::string wire_body_of(const std::string& response) {
    const auto end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}

TEST_F(HttpWireTest, Http11CloseAnswersWithLengthAndClose) {
    const std::string response = exchange_raw(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
    EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
    EXPECT_NE(response.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
    EXPECT_NE(response.find("\r\nCache-Control: no-store\r\n"), std::string::npos);
    EXPECT_NE(response.find("\r\nConnection: close\r\n"), std::string::npos);
    const std::string body = wire_body_of(response);
    EXPECT_EQ(body, "{\"status\":\"ok\"}\n");
    EXPECT_NE(response.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"),
              std::string::npos);
}

TEST_F(HttpWireTest, HeadKeepsTheLengthWithoutTheBody) {
    const std::string response = exchange_raw(
        "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
    EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
    EXPECT_NE(response.find("\r\nContent-Length: 16\r\n"), std::string::npos) << response;
    EXPECT_EQ(wire_body_of(response), "");
}

TEST_F(HttpWireTest, Http10ClosesUnlessAskedToKeepAlive) {
    const std::string closed = exchange_raw("GET /healthz HTTP/1.0\r\n\r\n", true);
    EXPECT_EQ(closed.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << closed;
    EXPECT_EQ(closed.find("Connection:"), std::string::npos) << closed;

    const std::string kept =
        exchange_raw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false);
    EXPECT_EQ(kept.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << kept;
    EXPECT_NE(kept.find("\r\nConnection: keep-alive\r\n"), std::string::npos) << kept;
}

TEST_F(HttpWireTest, ErrorsCarryTheirStatusLine) {
    const std::string response = exchange_raw(
        "GET /no-such-thing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
    EXPECT_EQ(response.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << response;
    EXPECT_NE(wire_body_of(response).find("\"error\""), std::string::npos) << response;
}

}  // namespace
}  // namespace dnsd
