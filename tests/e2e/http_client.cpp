#include "http_client.hpp"

// GCC 12 at -O2 reports a "potential null pointer dereference" inside Asio's own executor
// comparison (io_context.hpp) once co_spawn is inlined here; the code is Boost's, not ours.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <algorithm>
#include <cctype>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

namespace dnsd::e2e {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

asio::awaitable<void> exchange(std::uint16_t port, const HttpRequest& request,
                               HttpResponse& response) {
    auto executor = co_await asio::this_coro::executor;
    beast::tcp_stream stream(executor);
    // tcp_stream's deadline covers each operation; the caller's run_for bounds the whole.
    stream.expires_after(request.timeout);
    co_await stream.async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);

    http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(http::field::connection, "close");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    if (!request.body.empty() || request.method == "POST") {
        if (req.find(http::field::content_type) == req.end()) {
            req.set(http::field::content_type, "application/json");
        }
        req.body() = request.body;
        req.prepare_payload();
    }
    // A server that refuses a large body may answer and close before reading all of it: the
    // write then fails, but the answer (413) is still there to read.
    boost::system::error_code write_error;
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, write_error));

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
    const auto& res = parser.get();
    response.status = res.result_int();
    for (const auto& field : res) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        response.headers[name] = std::string(field.value());
    }
    response.body = res.body();
}

}  // namespace

std::optional<boost::json::value> HttpResponse::json() const {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(body, ec);
    if (ec) return std::nullopt;
    return value;
}

std::string HttpResponse::header(const std::string& lower_case_name) const {
    const auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string() : it->second;
}

HttpResponse http_request(std::uint16_t port, const HttpRequest& request) {
    HttpResponse response;  // outlives io: a timed-out exchange's frame still refers to it
    asio::io_context io;
    bool finished = false;
    asio::co_spawn(io, exchange(port, request, response), [&](std::exception_ptr error) {
        finished = true;
        if (!error) return;
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            response = HttpResponse{};
            response.failure = e.what();
        }
    });
    io.run_for(request.timeout + std::chrono::milliseconds(500));
    if (!finished) {
        response = HttpResponse{};
        response.failure = "no answer within " + std::to_string(request.timeout.count()) + " ms";
    }
    return response;
}

HttpResponse http_get(std::uint16_t port, const std::string& target,
                      std::chrono::milliseconds timeout) {
    HttpRequest request;
    request.target = target;
    request.timeout = timeout;
    return http_request(port, request);
}

HttpResponse http_post_json(std::uint16_t port, const std::string& target, const std::string& body,
                            std::map<std::string, std::string> headers) {
    HttpRequest request;
    request.method = "POST";
    request.target = target;
    request.body = body;
    request.headers = std::move(headers);
    return http_request(port, request);
}

HttpResponse http_delete(std::uint16_t port, const std::string& target,
                         std::map<std::string, std::string> headers) {
    HttpRequest request;
    request.method = "DELETE";
    request.target = target;
    request.headers = std::move(headers);
    return http_request(port, request);
}

}  // namespace dnsd::e2e
