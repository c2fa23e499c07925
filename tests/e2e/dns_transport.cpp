#include "dns_transport.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace dnsd::e2e {
namespace {

using Clock = std::chrono::steady_clock;

int connected_socket(int type, std::uint16_t port) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // On loopback a TCP connect completes or is refused at once, so a blocking connect is bounded.
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Waits until fd is readable; false on timeout.
bool wait_readable(int fd, Clock::time_point deadline) {
    for (int attempt = 0; attempt < 1000; ++attempt) {  // bounded: EINTR retries only
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready > 0) return true;
        if (ready == 0) return false;
        if (errno != EINTR) return false;
    }
    return false;
}

bool send_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}

}  // namespace

std::optional<Bytes> udp_exchange(std::uint16_t port, const Bytes& message,
                                  std::chrono::milliseconds timeout,
                                  bool (*accept)(const Bytes& sent, const Bytes& received)) {
    const int fd = connected_socket(SOCK_DGRAM, port);
    if (fd < 0) return std::nullopt;
    std::optional<Bytes> reply;
    if (::send(fd, message.data(), message.size(), 0) == static_cast<ssize_t>(message.size())) {
        const auto deadline = Clock::now() + timeout;
        Bytes buffer(65536);
        // Bounded: a stray datagram that `accept` rejects costs one round, at most 100 of them.
        for (int round = 0; round < 100 && wait_readable(fd, deadline); ++round) {
            const ssize_t got = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (got < 0) break;  // e.g. ECONNREFUSED: nobody listens
            Bytes received(buffer.begin(), buffer.begin() + got);
            if (accept == nullptr || accept(message, received)) {
                reply = std::move(received);
                break;
            }
        }
    }
    ::close(fd);
    return reply;
}

TcpDnsConnection::TcpDnsConnection(std::uint16_t port, std::chrono::milliseconds)
    : fd_(connected_socket(SOCK_STREAM, port)) {}

TcpDnsConnection::~TcpDnsConnection() {
    if (fd_ >= 0) ::close(fd_);
}

bool TcpDnsConnection::send_message(const Bytes& message) {
    Bytes framed;
    framed.reserve(message.size() + 2);
    framed.push_back(static_cast<std::uint8_t>(message.size() >> 8));
    framed.push_back(static_cast<std::uint8_t>(message.size() & 0xff));
    framed.insert(framed.end(), message.begin(), message.end());
    return send_raw(framed);
}

bool TcpDnsConnection::send_raw(const Bytes& bytes) {
    return fd_ >= 0 && send_all(fd_, bytes.data(), bytes.size());
}

bool TcpDnsConnection::read_exactly(std::uint8_t* out, std::size_t size, Clock::time_point deadline) {
    while (size > 0) {
        if (!wait_readable(fd_, deadline)) return false;
        const ssize_t got = ::recv(fd_, out, size, 0);
        if (got <= 0) return false;
        out += got;
        size -= static_cast<std::size_t>(got);
    }
    return true;
}

std::optional<Bytes> TcpDnsConnection::receive_message(std::chrono::milliseconds timeout) {
    if (fd_ < 0) return std::nullopt;
    const auto deadline = Clock::now() + timeout;
    std::uint8_t length[2];
    if (!read_exactly(length, 2, deadline)) return std::nullopt;
    Bytes message(static_cast<std::size_t>(length[0]) << 8 | length[1]);
    if (!read_exactly(message.data(), message.size(), deadline)) return std::nullopt;
    return message;
}

bool TcpDnsConnection::closed_by_peer(std::chrono::milliseconds timeout) {
    if (fd_ < 0) return true;
    const auto deadline = Clock::now() + timeout;
    std::uint8_t scratch[512];
    // Bounded: whatever the server still sends is read and dropped, at most 1000 reads.
    for (int round = 0; round < 1000; ++round) {
        if (!wait_readable(fd_, deadline)) return false;
        const ssize_t got = ::recv(fd_, scratch, sizeof scratch, 0);
        if (got <= 0) return true;
    }
    return false;
}

std::optional<Bytes> tcp_exchange(std::uint16_t port, const Bytes& message,
                                  std::chrono::milliseconds timeout) {
    TcpDnsConnection connection(port, timeout);
    if (!connection.send_message(message)) return std::nullopt;
    return connection.receive_message(timeout);
}

}  // namespace dnsd::e2e
