#include "dnsd/dnsctl_http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

#include "dnsd/dnsctl_interrupt.hpp"
#include "dnsd_version.hpp"

namespace dnsd::ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kBodyLimit = 16 * 1024 * 1024;

std::string describe(const beast::error_code& ec, std::chrono::milliseconds timeout) {
    if (ec == beast::error::timeout) {
        const auto ms = timeout.count();
        return "no answer within " + (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms");
    }
    if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again)
        return "unknown host";
    if (ec == http::error::end_of_stream || ec == asio::error::eof) return "the connection was closed without an answer";
    std::string text = ec.message();
    if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

http::verb verb_of(const std::string& method) {
    if (method == "POST") return http::verb::post;
    if (method == "DELETE") return http::verb::delete_;
    return http::verb::get;
}

}  // namespace

HttpAnswer http_exchange(const Endpoint& server, const HttpCall& call) {
    asio::io_context io{1};
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);

    http::request<http::string_body> request{verb_of(call.method), call.target, 11};
    request.set(http::field::host, server.to_string());
    request.set(http::field::user_agent, std::string("dnsctl/") + kVersion);
    request.set(http::field::accept, "application/json");
    if (!call.token.empty()) request.set(http::field::authorization, "Bearer " + call.token);
    if (!call.body.empty()) request.set(http::field::content_type, "application/json");
    request.body() = call.body;
    request.prepare_payload();

    HttpAnswer answer;
    bool done = false;
    auto fail = [&](const beast::error_code& ec) {
        answer.failure = describe(ec, call.timeout);
        done = true;
    };
    // The deadline covers connect, write and read: tcp_stream cancels whatever is pending.
    stream.expires_after(call.timeout);
    resolver.async_resolve(server.host, std::to_string(server.port), [&](const beast::error_code& ec,
                                                                         tcp::resolver::results_type results) {
        if (ec) return fail(ec);
        stream.async_connect(results, [&](const beast::error_code& ec2, const tcp::endpoint&) {
            if (ec2) return fail(ec2);
            http::async_write(stream, request, [&](const beast::error_code& ec3, std::size_t) {
                if (ec3) return fail(ec3);
                http::async_read(stream, buffer, parser, [&](const beast::error_code& ec4, std::size_t) {
                    if (ec4) return fail(ec4);
                    answer.status = parser.get().result_int();
                    answer.body = parser.get().body();
                    done = true;
                });
            });
        });
    });

    bool cancelled = false;
    while (!done) {
        io.run_for(std::chrono::milliseconds(50));
        if (!done && !cancelled && call.interruptible && stop_requested()) {
            cancelled = true;
            resolver.cancel();
            stream.cancel();
        }
        if (io.stopped()) io.restart();
    }
    if (cancelled && answer.status == 0) {
        answer.interrupted = true;
        answer.failure = "interrupted";
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return answer;
}

}  // namespace dnsd::ctl
