#include "dnsd/http_session.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "dnsd/gossip_auth.hpp"
#include "dnsd/http_handlers.hpp"
#include "dnsd/http_limits.hpp"
#include "dnsd/http_route.hpp"
#include "dnsd/node.hpp"
#include "dnsd_version.hpp"

namespace dnsd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using tcp = asio::ip::tcp;

namespace {

// Network errors come back as values: a closed or slow client is normal, not exceptional.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

using Parser = http::request_parser<http::string_body>;

// IPv4 clients of a dual-stack [::] listener arrive as ::ffff:a.b.c.d; heartbeats store them
// as plain IPv4 so A records and derived ids ("10-0-0-3-8861") come out right.
std::optional<registry::IpAddress> peer_address(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return std::nullopt;
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    if (address.is_v4()) return registry::IpAddress::v4(address.to_v4().to_bytes());
    return registry::IpAddress::v6(address.to_v6().to_bytes());
}

// The reply owed for a request that could not be read; nullopt: the client went away or was
// too slow, so there is nobody to answer.
std::optional<HttpReply> unreadable_request_reply(const boost::system::error_code& ec,
                                                  std::size_t body_limit) {
    if (ec == http::error::body_limit)
        return error_reply(413, "the request body is larger than " +
                                    std::to_string(body_limit) + " bytes");
    if (ec == http::error::header_limit)
        return error_reply(431, "the request header is larger than " +
                                    std::to_string(kHttpHeaderLimit) + " bytes");
    const bool parse_error =
        ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message;
    if (parse_error) return error_reply(400, "the request is not valid HTTP/1.1: " + ec.message());
    return std::nullopt;
}

// request_body_limit() matches the whole route (a URL parse); the heartbeat, by far the most
// frequent request, is recognised by its exact target first.
std::size_t body_limit_of(std::string_view method, std::string_view target) {
    if (method == "POST" && target == "/v1/heartbeat") return kHttpBodyLimit;
    return request_body_limit(method, target);
}

// A response on the wire: the head formatted here, the body as the handler made it, written
// together in one gather write. Beast's serializer would give the same bytes, at the cost of
// a header container, an allocation per field and a chain of composed operations per reply:
// at tens of thousands of heartbeats a second that showed in the profile.
struct WireResponse {
    std::string head;
    std::string body;
};

void append_header(std::string& head, std::string_view name, std::string_view value) {
    head.append(name).append(": ").append(value).append("\r\n");
}

WireResponse to_wire(HttpReply reply, unsigned version, bool keep_alive, bool head_only) {
    static const std::string server = std::string("dnsd/") + kVersion;
    WireResponse out;
    std::string& head = out.head;
    head.reserve(192);
    head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head += std::to_string(reply.status);
    head += ' ';
    head += http::obsolete_reason(static_cast<http::status>(reply.status));
    head += "\r\n";
    append_header(head, "Server", server);
    append_header(head, "Content-Type", reply.content_type);
    // Registry views change from one moment to the next; a cached copy would be wrong.
    append_header(head, "Cache-Control", "no-store");
    for (const auto& [name, value] : reply.headers) append_header(head, name, value);
    // HTTP/1.1 keeps connections open unless told; HTTP/1.0 closes them unless told.
    if (version >= 11 && !keep_alive) append_header(head, "Connection", "close");
    if (version == 10 && keep_alive) append_header(head, "Connection", "keep-alive");
    const bool bodiless = reply.status / 100 == 1 || reply.status == 204 || reply.status == 304;
    if (!bodiless) append_header(head, "Content-Length", std::to_string(reply.body.size()));
    head += "\r\n";
    // HEAD keeps the Content-Length of the GET, without its body.
    if (!head_only && !bodiless) out.body = std::move(reply.body);
    return out;
}

awaitable<std::tuple<boost::system::error_code, std::size_t>> write_response(
    beast::tcp_stream& stream, const WireResponse& response) {
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(response.head),
                                                    asio::buffer(response.body)};
    co_return co_await asio::async_write(stream, buffers, kNoThrow);
}

bool expects_continue(const http::request<http::string_body>& request) {
    const auto expect = request.find(http::field::expect);
    return expect != request.end() && beast::iequals(expect->value(), "100-continue");
}

// After an error reply the client may still be sending (a body over the limit): reading it
// for a moment keeps the kernel from resetting the connection before the client reads why.
awaitable<void> close_after_error(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 4096> sink{};
    std::size_t drained = 0;
    while (drained < 1024 * 1024) {
        const auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kNoThrow);
        if (ec) break;
        drained += n;
    }
}

awaitable<HttpReply> answer(Node& node, const http::request<http::string_body>& request,
                            const registry::IpAddress& peer) {
    const auto authorization = request.find(http::field::authorization);
    const auto gossip_auth = request.find(kGossipAuthHeader);
    const RequestView view{request.method_string(), request.target(), request.body(),
                           authorization != request.end()
                               ? std::string_view(authorization->value())
                               : std::string_view{},
                           peer,
                           gossip_auth != request.end() ? std::string_view(gossip_auth->value())
                                                        : std::string_view{}};
    try {
        co_return co_await handle_request(node, view);
    } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::operation_aborted) throw;  // server stop: end the session
        spdlog::error("HTTP {} {} failed: {}", view.method, view.target, e.what());
    } catch (const std::exception& e) {
        spdlog::error("HTTP {} {} failed: {}", view.method, view.target, e.what());
    }
    co_return error_reply(500, "the server failed to handle this request; see its log");
}

awaitable<void> serve(Node& node, beast::tcp_stream& stream) {
    const auto peer = peer_address(stream.socket());
    if (!peer) co_return;
    beast::flat_buffer buffer;
    for (;;) {
        Parser parser;
        parser.header_limit(kHttpHeaderLimit);
        parser.body_limit(std::max(kHttpBodyLimit, kGossipBodyLimit));

        stream.expires_after(kHttpIoTimeout);
        auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kNoThrow);
        // The body limit depends on the endpoint (gossip messages are large), known only from
        // the header: Beast checks Content-Length against the limit as the header ends, so
        // the header is read under the largest limit and the endpoint's is applied here.
        if (!ec) {
            const std::size_t limit =
                body_limit_of(parser.get().method_string(), parser.get().target());
            parser.body_limit(limit);  // what chunked bodies are held to
            if (parser.content_length() && *parser.content_length() > limit)
                ec = http::error::body_limit;
        }
        if (!ec && expects_continue(parser.get())) {
            // curl waits a second for this before it sends a body over 1 KiB.
            http::response<http::empty_body> go_on{http::status::continue_,
                                                   parser.get().version()};
            std::tie(ec, n) = co_await http::async_write(stream, go_on, kNoThrow);
        }
        if (!ec) {
            stream.expires_after(kHttpIoTimeout);
            std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, kNoThrow);
        }
        if (ec) {
            const std::size_t body_limit =
                parser.is_header_done()
                    ? body_limit_of(parser.get().method_string(), parser.get().target())
                    : kHttpBodyLimit;
            if (auto reply = unreadable_request_reply(ec, body_limit)) {
                node.metrics().http_request(reply->status);
                const auto response = to_wire(std::move(*reply), 11, false, false);
                stream.expires_after(kHttpIoTimeout);
                co_await write_response(stream, response);
                co_await close_after_error(stream);
            }
            co_return;
        }

        const auto& request = parser.get();
        HttpReply reply = co_await answer(node, request, *peer);
        node.metrics().http_request(reply.status);
        // Checked first: the arguments (the peer's address as text) cost even when not logged.
        if (spdlog::should_log(spdlog::level::debug))
            spdlog::debug("HTTP {} {} {} -> {}", peer->to_string(), request.method_string(),
                          request.target(), reply.status);

        const bool keep_alive = request.keep_alive();
        const auto response = to_wire(std::move(reply), request.version(), keep_alive,
                                      request.method() == http::verb::head);
        stream.expires_after(kHttpIoTimeout);
        std::tie(ec, n) = co_await write_response(stream, response);
        if (ec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

awaitable<void> serve_connection(Node& node, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    try {
        co_await serve(node, stream);
    } catch (const boost::system::system_error& e) {
        if (e.code() != asio::error::operation_aborted)
            spdlog::warn("HTTP connection ended: {}", e.what());
    } catch (const std::exception& e) {
        spdlog::error("HTTP connection failed: {}", e.what());
    }
}

}  // namespace dnsd
