#include "dnsd/http_server.hpp"

#include <list>
#include <system_error>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "dnsd/http_limits.hpp"
#include "dnsd/http_session.hpp"
#include "dnsd/node.hpp"

namespace dnsd {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct HttpServer::State {
    State(Node& n, asio::io_context& io) : node(n), acceptor(io) {}

    Node& node;
    tcp::acceptor acceptor;
    std::uint16_t port = 0;
    bool stopped = false;
    // One per open connection: stop() cancels each connection's coroutine through it.
    std::list<asio::cancellation_signal> connections;
};

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

[[noreturn]] void fail_to_listen(const boost::system::error_code& ec, const HostPort& listen) {
    throw std::system_error(ec, "cannot listen for HTTP on " + listen.to_string());
}

asio::awaitable<void> accept_connections(std::shared_ptr<HttpServer::State> state);

}  // namespace

HttpServer::HttpServer(Node& node, const HostPort& listen)
    : state_(std::make_shared<State>(node, node.control())) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(listen.host, ec);
    if (ec)
        throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                                "cannot listen for HTTP on " + listen.to_string() +
                                    ": not an IP address");
    const tcp::endpoint endpoint(address, listen.port);
    tcp::acceptor& acceptor = state_->acceptor;
    // Every step reports through ec, so the message names the address the operator gave.
    acceptor.open(endpoint.protocol(), ec);
    if (ec) fail_to_listen(ec, listen);
    // Lets a restarted dnsd bind while old connections sit in TIME_WAIT; on Linux it does not
    // let two listeners share the port, so a running dnsd is still detected.
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (ec) fail_to_listen(ec, listen);
    acceptor.bind(endpoint, ec);
    if (ec) fail_to_listen(ec, listen);
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) fail_to_listen(ec, listen);
    state_->port = acceptor.local_endpoint().port();
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return state_->port; }

void HttpServer::start() {
    spdlog::debug("HTTP listening on {}", state_->acceptor.local_endpoint().address().to_string() +
                                             ":" + std::to_string(state_->port));
    asio::co_spawn(state_->acceptor.get_executor(), accept_connections(state_),
                   [](std::exception_ptr error) {
                       if (!error) return;
                       try {
                           std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                           spdlog::error("HTTP listener stopped: {}", e.what());
                       }
                   });
}

void HttpServer::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    // Cancellation completes the pending operations later, on the io_context: the list is not
    // changed while we walk it.
    for (auto& connection : state_->connections) connection.emit(asio::cancellation_type::terminal);
}

namespace {

void spawn_connection(const std::shared_ptr<HttpServer::State>& state, tcp::socket socket) {
    auto& signal = state->connections.emplace_back();
    const auto self = std::prev(state->connections.end());
    auto executor = state->acceptor.get_executor();
    asio::co_spawn(executor, serve_connection(state->node, std::move(socket)),
                   asio::bind_cancellation_slot(signal.slot(), [state, self, executor](
                                                                   std::exception_ptr) {
                       // The signal is still in use while this handler runs: drop it later.
                       asio::post(executor, [state, self] { state->connections.erase(self); });
                   }));
}

asio::awaitable<void> accept_connections(std::shared_ptr<HttpServer::State> state) {
    for (;;) {
        auto [ec, socket] = co_await state->acceptor.async_accept(kNoThrow);
        if (state->stopped || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            // Out of file descriptors and the like last a while: pause instead of spinning.
            spdlog::warn("HTTP accept failed: {}", ec.message());
            asio::steady_timer pause(state->acceptor.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(kNoThrow);
            continue;
        }
        if (state->connections.size() >= kHttpMaxConnections) {
            spdlog::warn("HTTP connection refused: {} connections are open", kHttpMaxConnections);
            continue;  // the socket closes here
        }
        spawn_connection(state, std::move(socket));
    }
}

}  // namespace

}  // namespace dnsd
