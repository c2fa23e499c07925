#pragma once
// GossipTransport over HTTP: each message is a POST /v1/gossip to the peer, from a coroutine on
// the control io_context. Fire and forget, as the interface says: failures are counted and
// logged at debug, never thrown; a pull's reply (the response body) comes back through
// on_reply, on the control thread. Every exchange has one deadline for connect, write and
// read, and a peer gets at most max_in_flight_per_peer exchanges at once (more are dropped and
// counted), so a dead or slow peer cannot pile up work. One connection per exchange.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "dnsd/gossip_auth.hpp"
#include "dnsd/http_limits.hpp"
#include "registry/gossip_message.hpp"
#include "registry/gossip_transport.hpp"

namespace dnsd {

struct GossipTransportOptions {
    std::chrono::milliseconds deadline{2000};  // connect + write + read, per exchange
    std::size_t max_in_flight_per_peer = 4;
    std::size_t reply_body_limit = kGossipBodyLimit;
};

struct GossipTransportStats {
    std::uint64_t sent = 0;          // exchanges started
    std::uint64_t succeeded = 0;     // 2xx, signature (if any) good, body decoded
    std::uint64_t failed = 0;        // bad address, connect/write/read error, deadline, non-2xx,
                                     // bad signature, undecodable reply
    std::uint64_t dropped_busy = 0;  // not sent: the peer had max_in_flight_per_peer already
    std::uint64_t replies = 0;       // replies handed to on_reply
    std::uint64_t bytes_sent = 0;    // request bodies
    std::uint64_t bytes_received = 0;  // reply bodies
};

// A peer's "host:port" as GossipNode names them: an IPv4 literal, or an IPv6 literal in
// brackets ("[::1]:8054"). Host names are resolved before they get here (--join look-ups).
struct PeerEndpoint {
    std::string host;  // without brackets
    std::uint16_t port = 0;
};
std::optional<PeerEndpoint> parse_peer_endpoint(std::string_view address);

using GossipHttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// The request for one message, signed when there is a key; `nonce` is what the reply echoes.
struct SignedGossipRequest {
    GossipHttpRequest request;
    std::string nonce;
};
SignedGossipRequest build_gossip_request(std::string_view peer_address, std::string body,
                                         GossipAuth& auth);

// What a peer's response means: a message to pass on (a PullReply), nothing (a Push's 204 or
// an empty 200), or a failure with its reason.
struct GossipReplyFailure {
    std::string reason;
    bool auth = false;  // the signature was wrong or missing (already counted by GossipAuth)
};
using GossipReplyOutcome =
    std::variant<std::optional<registry::GossipMessage>, GossipReplyFailure>;
GossipReplyOutcome read_gossip_response(unsigned status, std::string_view auth_header,
                                        std::string_view body, std::string_view request_nonce,
                                        GossipAuth& auth);

class GossipHttpTransport final : public registry::GossipTransport {
public:
    using ReplyHandler = std::function<void(registry::GossipMessage)>;

    // `auth` (shared with the POST /v1/gossip endpoint) must outlive the transport. on_reply
    // runs on the control thread, for each decoded reply: feed it to GossipNode::receive and
    // commit (Node::receive_gossip).
    GossipHttpTransport(boost::asio::io_context& control, GossipAuth& auth, ReplyHandler on_reply,
                        GossipTransportOptions options = {});
    ~GossipHttpTransport() override;  // stop()
    GossipHttpTransport(const GossipHttpTransport&) = delete;
    GossipHttpTransport& operator=(const GossipHttpTransport&) = delete;

    // Control thread. Returns at once; the exchange runs on the control io_context.
    void send(const std::string& peer_address, registry::GossipMessage message) override;

    // Cancels every exchange in flight; their replies are dropped, and later sends too. For
    // shutdown after the leave() push has had its chance (see in_flight()).
    void stop();
    // Exchanges not finished yet: SIGTERM can run the io_context until this is 0 (bounded by
    // the deadline) so the leave push reaches peers.
    std::size_t in_flight() const;
    const GossipTransportStats& stats() const;

    struct State;  // shared with the exchanges, which may outlive *this by a few turns

private:
    std::shared_ptr<State> state_;
};

}  // namespace dnsd
