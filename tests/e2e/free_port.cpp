#include "free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <stdexcept>

namespace dnsd::e2e {
namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

// A bound socket of `type`, or -1 if the port is taken.
int bind_socket(int type, std::uint16_t port) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const sockaddr_in addr = loopback(port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::uint16_t bound_port(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
    return ntohs(addr.sin_port);
}

}  // namespace

std::uint16_t pick_free_port() {
    static std::mutex mutex;
    static std::set<std::uint16_t> handed_out;
    const std::lock_guard lock(mutex);
    // The kernel's ephemeral range is large; a handful of attempts always suffices in practice.
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int udp = bind_socket(SOCK_DGRAM, 0);
        if (udp < 0) continue;
        const std::uint16_t port = bound_port(udp);
        const int tcp = port == 0 ? -1 : bind_socket(SOCK_STREAM, port);
        ::close(udp);
        if (tcp < 0) continue;
        ::close(tcp);
        if (handed_out.insert(port).second) return port;
    }
    throw std::runtime_error("no port free for both UDP and TCP on 127.0.0.1");
}

}  // namespace dnsd::e2e
