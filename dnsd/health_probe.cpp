#include "dnsd/health_probe.hpp"

#include <chrono>
#include <string>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "dnsd/health_check_spec.hpp"
#include "dnsd_version.hpp"

namespace dnsd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using Failure = std::optional<std::string>;

namespace {

constexpr auto as_tuple_awaitable = asio::as_tuple(asio::use_awaitable);

std::string where(const ProbeAddress& a) {
    const bool v6 = a.host.find(':') != std::string::npos;
    return (v6 ? "[" + a.host + "]" : a.host) + ":" + std::to_string(a.port);
}

// Resolves (an IP literal resolves at once) and connects to the first address that answers.
asio::awaitable<Failure> connect(tcp::socket& socket, const ProbeAddress& a) {
    tcp::resolver resolver(socket.get_executor());
    auto [resolve_error, results] =
        co_await resolver.async_resolve(a.host, std::to_string(a.port), as_tuple_awaitable);
    if (resolve_error) co_return "cannot resolve " + a.host + ": " + resolve_error.message();
    auto [connect_error, endpoint] = co_await asio::async_connect(socket, results, as_tuple_awaitable);
    if (connect_error) co_return "connect to " + where(a) + " failed: " + connect_error.message();
    co_return std::nullopt;
}

asio::awaitable<ProbeOutcome> tcp_probe(ProbeAddress a) {
    tcp::socket socket(co_await asio::this_coro::executor);
    if (Failure failed = co_await connect(socket, a)) co_return ProbeOutcome::fail(*failed);
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    co_return ProbeOutcome::pass();
}

asio::awaitable<ProbeOutcome> http_probe(ProbeAddress a) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    if (Failure failed = co_await connect(stream.socket(), a)) co_return ProbeOutcome::fail(*failed);

    http::request<http::empty_body> request{http::verb::get, a.target, 11};
    request.set(http::field::host, a.host_header);
    request.set(http::field::user_agent, std::string("dnsd-health-check/") + kVersion);
    request.set(http::field::accept, "*/*");
    request.set(http::field::connection, "close");
    auto [write_error, written] = co_await http::async_write(stream, request, as_tuple_awaitable);
    if (write_error) co_return ProbeOutcome::fail("sending the request to " + where(a) + " failed: " + write_error.message());

    // The status decides; a body (however large) is never read.
    beast::flat_buffer buffer;
    http::response_parser<http::empty_body> parser;
    auto [read_error, read] = co_await http::async_read_header(stream, buffer, parser, as_tuple_awaitable);
    if (read_error) co_return ProbeOutcome::fail("no HTTP response from " + where(a) + ": " + read_error.message());
    const auto& response = parser.get();
    const unsigned status = response.result_int();
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (status >= 200 && status < 300) co_return ProbeOutcome::pass();
    co_return ProbeOutcome::fail("HTTP " + std::to_string(status) + " " + std::string(response.reason()));
}

std::string seconds_text(std::int64_t ms) {
    const std::string whole = std::to_string(ms / 1000);
    return ms % 1000 == 0 ? whole + " s" : std::to_string(ms) + " ms";
}

}  // namespace

asio::awaitable<ProbeOutcome> run_probe(registry::HealthCheck check) {
    auto address = probe_address(check);
    if (auto* error = std::get_if<std::string>(&address)) co_return ProbeOutcome::fail("bad check: " + *error);
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer deadline(co_await asio::this_coro::executor, std::chrono::milliseconds(check.timeout_ms));
    auto probe = check.kind == registry::CheckKind::http ? http_probe(std::get<ProbeAddress>(address))
                                                        : tcp_probe(std::get<ProbeAddress>(address));
    // Whichever ends first cancels the other: a hung peer costs at most the timeout.
    auto first = co_await (std::move(probe) || deadline.async_wait(as_tuple_awaitable));
    if (auto* outcome = std::get_if<ProbeOutcome>(&first)) co_return std::move(*outcome);
    co_return ProbeOutcome::fail("no answer within the timeout of " + seconds_text(check.timeout_ms));
}

}  // namespace dnsd
