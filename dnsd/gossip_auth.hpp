#pragma once
// --gossip-key-file: gossip between nodes authenticated with a shared key (HMAC-SHA256).
// Every request and every 2xx reply carries
//   X-Dnsd-Gossip-Auth: t=<sender wall ms>,n=<64-bit nonce, 16 hex digits>,mac=<64 hex digits>
// where mac = HMAC-SHA256(key, t "\n" n "\n" method " " path "\n" body). A reply is signed with
// method "REPLY" and the request's path, and echoes the request's nonce: a client accepts only
// the reply to its own request, so an old reply cannot be played back to it.
// The receiver refuses missing, malformed or wrong signatures and nonces it saw in the last
// 10 minutes. t is signed but never compared with our clock: dnsd nodes do not sync clocks.
// Without a key nothing is required and a signed request is accepted as well (a cluster that
// is switching keys on).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "dnsd/gossip_replay_cache.hpp"
#include "registry/clock.hpp"

namespace dnsd {

inline constexpr std::string_view kGossipAuthHeader = "X-Dnsd-Gossip-Auth";
inline constexpr std::string_view kGossipReplyMethod = "REPLY";
inline constexpr std::size_t kGossipKeyMinBytes = 16;

struct GossipKey {
    std::string secret;
};

// The key from the file's contents, trimmed of surrounding white space; or why it is unusable.
std::variant<GossipKey, std::string> parse_gossip_key(std::string_view contents);
// Start-up: reads and parses the file; throws std::runtime_error with one clear sentence
// ("--gossip-key-file /etc/dnsd/key: the key must be at least 16 bytes").
GossipKey load_gossip_key(const std::filesystem::path& file);

// The lower-case hex HMAC-SHA256 that a header carries for these parts.
std::string gossip_mac(const GossipKey& key, std::string_view t, std::string_view nonce,
                       std::string_view method, std::string_view path, std::string_view body);

struct GossipAuthFields {
    std::string t;      // decimal wall ms, as sent
    std::string nonce;  // 16 lower-case hex digits
    std::string mac;    // 64 lower-case hex digits
};
std::optional<GossipAuthFields> parse_gossip_auth(std::string_view header_value);
std::string format_gossip_auth(const GossipAuthFields& fields);

// Why a message was refused; each is counted (dnsd_gossip_auth_failures_total{reason}).
enum class GossipAuthFailure { missing, malformed, bad_mac, replayed, wrong_reply };
std::string_view to_string(GossipAuthFailure failure);

struct GossipAuthCounters {
    std::uint64_t missing = 0;
    std::uint64_t malformed = 0;
    std::uint64_t bad_mac = 0;
    std::uint64_t replayed = 0;
    std::uint64_t wrong_reply = 0;  // a reply that does not echo our request's nonce
    std::uint64_t total() const { return missing + malformed + bad_mac + replayed + wrong_reply; }
    std::uint64_t of(GossipAuthFailure reason) const;  // for /metrics' {reason="..."}
};

inline constexpr GossipAuthFailure kGossipAuthFailures[] = {
    GossipAuthFailure::missing, GossipAuthFailure::malformed, GossipAuthFailure::bad_mac,
    GossipAuthFailure::replayed, GossipAuthFailure::wrong_reply};

// A request's signature (or none, without a key) and the nonce its reply must echo.
struct GossipSignature {
    std::string header;  // the header's value; empty without a key
    std::string nonce;
};

// Both ends of authenticated gossip for one node: the transport signs requests and checks
// replies, the endpoint checks requests and signs replies, sharing the key, the replay cache
// and the counters. Control thread only.
class GossipAuth {
public:
    GossipAuth(std::optional<GossipKey> key, const registry::Clock& clock);

    bool enabled() const { return key_.has_value(); }

    GossipSignature sign_request(std::string_view method, std::string_view path,
                                 std::string_view body);
    // nullopt when the request may be served; else the reason, counted. `header` is empty
    // when the request had none.
    std::optional<GossipAuthFailure> check_request(std::string_view header,
                                                   std::string_view method,
                                                   std::string_view path, std::string_view body);
    // The header for the reply to a request whose nonce was `request_nonce`; empty without a key.
    std::string sign_reply(std::string_view request_nonce, std::string_view path,
                           std::string_view body);
    std::optional<GossipAuthFailure> check_reply(std::string_view header,
                                                 std::string_view request_nonce,
                                                 std::string_view path, std::string_view body);

    // The nonce of a request's header, for sign_reply; empty when it has none.
    static std::string nonce_of(std::string_view header);

    const GossipAuthCounters& counters() const { return counters_; }
    const GossipReplayCache& replay_cache() const { return replays_; }

private:
    std::string sign(std::string_view nonce, std::string_view method, std::string_view path,
                     std::string_view body) const;
    std::optional<GossipAuthFailure> check(std::string_view header, std::string_view method,
                                           std::string_view path, std::string_view body,
                                           std::optional<std::string_view> expected_nonce);
    std::optional<GossipAuthFailure> count(std::optional<GossipAuthFailure> failure);
    std::string fresh_nonce();

    std::optional<GossipKey> key_;
    const registry::Clock& clock_;
    GossipReplayCache replays_;
    GossipAuthCounters counters_;
    std::uint64_t fallback_nonce_;  // only if the system's random source fails
};

}  // namespace dnsd
