#pragma once
// Raw DNS messages over UDP and TCP to 127.0.0.1, with bounded waits. No parsing here, so the
// same calls carry well-formed queries and deliberately malformed ones.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace dnsd::e2e {

using Bytes = std::vector<std::uint8_t>;

// Sends one datagram and returns the first datagram that comes back within `timeout`
// (nullopt: silence). `accept` filters replies, e.g. by message ID; nullptr accepts any.
std::optional<Bytes> udp_exchange(std::uint16_t port, const Bytes& message,
                                  std::chrono::milliseconds timeout,
                                  bool (*accept)(const Bytes& sent, const Bytes& received) = nullptr);

// One TCP connection carrying length-prefixed DNS messages (RFC 1035 4.2.2), so tests can
// send several queries on it (RFC 7766) or feed it broken framing.
class TcpDnsConnection {
public:
    TcpDnsConnection(std::uint16_t port, std::chrono::milliseconds timeout);  // check connected()
    ~TcpDnsConnection();
    TcpDnsConnection(const TcpDnsConnection&) = delete;
    TcpDnsConnection& operator=(const TcpDnsConnection&) = delete;

    bool connected() const { return fd_ >= 0; }
    bool send_message(const Bytes& message);   // prefixes the length
    bool send_raw(const Bytes& bytes);         // exactly these bytes, for broken framing
    // The next whole message, or nullopt on timeout / close.
    std::optional<Bytes> receive_message(std::chrono::milliseconds timeout);
    // True when the server closed the connection within `timeout` (reads EOF or a reset).
    bool closed_by_peer(std::chrono::milliseconds timeout);

private:
    bool read_exactly(std::uint8_t* out, std::size_t size,
                      std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
};

// One query, one answer over a fresh TCP connection.
std::optional<Bytes> tcp_exchange(std::uint16_t port, const Bytes& message,
                                  std::chrono::milliseconds timeout);

}  // namespace dnsd::e2e
