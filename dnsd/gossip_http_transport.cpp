#include "dnsd/gossip_http_transport.hpp"

#include <charconv>
#include <map>
#include <set>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "dnsd/gossip_endpoint.hpp"
#include "dnsd_version.hpp"
#include "registry/gossip_message_json.hpp"

namespace dnsd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Network errors come back as values: an unreachable peer is normal in gossip.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::optional<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

// A peer's error body, shortened for a log line.
std::string excerpt(std::string_view body) {
    constexpr std::size_t kMax = 200;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
    return std::string(body.substr(0, kMax)) + (body.size() > kMax ? "..." : "");
}

}  // namespace

std::optional<PeerEndpoint> parse_peer_endpoint(std::string_view address) {
    std::string_view host;
    std::string_view port;
    if (address.starts_with('[')) {
        const auto close = address.find("]:");
        if (close == std::string_view::npos) return std::nullopt;
        host = address.substr(1, close - 1);
        port = address.substr(close + 2);
    } else {
        const auto colon = address.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        host = address.substr(0, colon);
        port = address.substr(colon + 1);
    }
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(host, ec);
    // An IPv6 literal must be bracketed, an IPv4 one must not: "::1:80" is ambiguous.
    if (ec || ip.is_v6() != address.starts_with('[')) return std::nullopt;
    const auto number = parse_port(port);
    if (!number) return std::nullopt;
    return PeerEndpoint{std::string(host), *number};
}

SignedGossipRequest build_gossip_request(std::string_view peer_address, std::string body,
                                         GossipAuth& auth) {
    const std::string_view method = "POST";
    GossipSignature signature = auth.sign_request(method, kGossipPath, body);
    GossipHttpRequest request{http::verb::post, kGossipPath, 11};
    request.set(http::field::host, peer_address);
    request.set(http::field::user_agent, std::string("dnsd/") + kVersion);
    request.set(http::field::content_type, kJsonType);
    if (!signature.header.empty()) request.set(kGossipAuthHeader, signature.header);
    // One exchange per connection: simple, and a gossip round is seconds apart anyway.
    request.keep_alive(false);
    request.body() = std::move(body);
    request.prepare_payload();
    return {std::move(request), std::move(signature.nonce)};
}

GossipReplyOutcome read_gossip_response(unsigned status, std::string_view auth_header,
                                        std::string_view body, std::string_view request_nonce,
                                        GossipAuth& auth) {
    if (status != 200 && status != 204)
        return GossipReplyFailure{"the peer answered " + std::to_string(status) + ": " +
                                      excerpt(body),
                                  false};
    if (auto failure = auth.check_reply(auth_header, request_nonce, kGossipPath, body))
        return GossipReplyFailure{"the reply's signature is refused (" +
                                      std::string(to_string(*failure)) + ")",
                                  true};
    if (status == 204 || body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return std::optional<registry::GossipMessage>{};
    auto decoded = registry::decode_gossip(body);
    if (auto* error = std::get_if<registry::GossipDecodeError>(&decoded))
        return GossipReplyFailure{"the reply is not a gossip message: " + error->reason, false};
    return std::optional<registry::GossipMessage>{
        std::get<registry::GossipMessage>(std::move(decoded))};
}

struct GossipHttpTransport::State {
    State(asio::io_context& io, GossipAuth& a, ReplyHandler handler, GossipTransportOptions o)
        : control(io), auth(a), on_reply(std::move(handler)), options(o) {}

    asio::io_context& control;
    GossipAuth& auth;  // only touched while !stopped: the node may be gone after stop()
    ReplyHandler on_reply;
    GossipTransportOptions options;
    GossipTransportStats stats;
    std::map<std::string, std::size_t, std::less<>> in_flight;  // per peer
    std::size_t total_in_flight = 0;
    std::set<beast::tcp_stream*> streams;  // for stop()
    bool stopped = false;

    void fail(const std::string& peer, std::string_view what) {
        ++stats.failed;
        spdlog::debug("gossip to {} failed: {}", peer, what);
    }
};

namespace {

using State = GossipHttpTransport::State;

// Keeps the per-peer count and the stop() list right however the exchange ends.
class InFlight {
public:
    InFlight(State& state, std::string peer, beast::tcp_stream& stream)
        : state_(state), peer_(std::move(peer)), stream_(&stream) {
        state_.streams.insert(stream_);
    }
    ~InFlight() {
        state_.streams.erase(stream_);
        --state_.total_in_flight;
        const auto it = state_.in_flight.find(peer_);
        if (it != state_.in_flight.end() && --it->second == 0) state_.in_flight.erase(it);
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    State& state_;
    std::string peer_;
    beast::tcp_stream* stream_;
};

asio::awaitable<void> exchange(std::shared_ptr<State> state, std::string peer,
                               tcp::endpoint endpoint, SignedGossipRequest signed_request) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    const InFlight in_flight(*state, peer, stream);
    // One deadline for the whole exchange: connect, write and read together.
    stream.expires_after(state->options.deadline);

    auto [ec] = co_await stream.async_connect(endpoint, kNoThrow);
    if (state->stopped) co_return;
    if (ec) co_return state->fail(peer, "connect: " + ec.message());

    std::size_t written = 0;
    std::tie(ec, written) = co_await http::async_write(stream, signed_request.request, kNoThrow);
    if (state->stopped) co_return;
    if (ec) co_return state->fail(peer, "write: " + ec.message());

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(state->options.reply_body_limit);
    std::size_t read = 0;
    std::tie(ec, read) = co_await http::async_read(stream, buffer, parser, kNoThrow);
    if (state->stopped) co_return;
    if (ec) co_return state->fail(peer, "read: " + ec.message());

    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

    const auto& response = parser.get();
    state->stats.bytes_received += response.body().size();
    auto outcome = read_gossip_response(response.result_int(), response[kGossipAuthHeader],
                                        response.body(), signed_request.nonce, state->auth);
    if (auto* failure = std::get_if<GossipReplyFailure>(&outcome))
        co_return state->fail(peer, failure->reason);
    ++state->stats.succeeded;
    auto& message = std::get<std::optional<registry::GossipMessage>>(outcome);
    if (!message) co_return;
    ++state->stats.replies;
    state->on_reply(std::move(*message));
}

}  // namespace

GossipHttpTransport::GossipHttpTransport(asio::io_context& control, GossipAuth& auth,
                                         ReplyHandler on_reply, GossipTransportOptions options)
    : state_(std::make_shared<State>(control, auth, std::move(on_reply), options)) {}

GossipHttpTransport::~GossipHttpTransport() { stop(); }

void GossipHttpTransport::send(const std::string& peer_address, registry::GossipMessage message) {
    State& state = *state_;
    if (state.stopped) return;
    const auto peer = parse_peer_endpoint(peer_address);
    if (!peer) return state.fail(peer_address, "the address is not IP:PORT or [IPv6]:PORT");
    std::size_t& count = state.in_flight[peer_address];
    if (count >= state.options.max_in_flight_per_peer) {
        ++state.stats.dropped_busy;
        spdlog::debug("gossip to {} dropped: {} exchanges still in flight", peer_address, count);
        return;
    }
    ++count;
    ++state.total_in_flight;
    ++state.stats.sent;

    auto request = build_gossip_request(peer_address, registry::encode_gossip(message), state.auth);
    state.stats.bytes_sent += request.request.body().size();
    const tcp::endpoint endpoint{asio::ip::make_address(peer->host), peer->port};
    asio::co_spawn(state.control,
                   exchange(state_, peer_address, endpoint, std::move(request)),
                   [peer_address](std::exception_ptr error) {
                       if (!error) return;
                       try {
                           std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                           spdlog::warn("gossip to {} ended with an error: {}", peer_address,
                                        e.what());
                       }
                   });
}

void GossipHttpTransport::stop() {
    State& state = *state_;
    state.stopped = true;
    for (beast::tcp_stream* stream : state.streams) {
        boost::system::error_code ignored;
        stream->socket().cancel(ignored);
        stream->socket().close(ignored);
    }
}

std::size_t GossipHttpTransport::in_flight() const { return state_->total_in_flight; }

const GossipTransportStats& GossipHttpTransport::stats() const { return state_->stats; }

}  // namespace dnsd
