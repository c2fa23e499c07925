#include "dnsd/dns_sockets.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace dnsd {

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.release();
    }
    return *this;
}

Fd::~Fd() {
    if (fd_ >= 0) ::close(fd_);
}

namespace {

struct SockAddr {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
};

SockAddr to_sockaddr(const HostPort& hp) {
    SockAddr a;
    if (hp.host.find(':') != std::string::npos) {
        auto* s6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(hp.port);
        inet_pton(AF_INET6, hp.host.c_str(), &s6->sin6_addr);
        a.length = sizeof(sockaddr_in6);
        a.family = AF_INET6;
    } else {
        auto* s4 = reinterpret_cast<sockaddr_in*>(&a.storage);
        s4->sin_family = AF_INET;
        s4->sin_port = htons(hp.port);
        inet_pton(AF_INET, hp.host.c_str(), &s4->sin_addr);
        a.length = sizeof(sockaddr_in);
    }
    return a;
}

[[noreturn]] void fail(const HostPort& hp, const char* proto, const char* what, int err) {
    throw std::system_error(err, std::generic_category(),
                            std::string("cannot ") + what + " DNS address " + hp.to_string() +
                                " (" + proto + ")");
}

void set_int(int fd, int level, int name, int value) {
    ::setsockopt(fd, level, name, &value, sizeof value);
}

// A burst of queries (a resolver's cache expiring, dnsperf's first window) must queue, not be
// dropped: the default 208 KiB holds only a few hundred datagrams (each costs a whole buffer).
// The replies likewise wait in the send buffer while a slow client reads. As root the *FORCE
// options pass net.core.rmem_max/wmem_max; otherwise the kernel caps at those limits.
constexpr int kUdpBufferBytes = 4 * 1024 * 1024;

void enlarge_udp_buffers(int fd) {
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kUdpBufferBytes, sizeof kUdpBufferBytes) != 0)
        set_int(fd, SOL_SOCKET, SO_RCVBUF, kUdpBufferBytes);
    if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &kUdpBufferBytes, sizeof kUdpBufferBytes) != 0)
        set_int(fd, SOL_SOCKET, SO_SNDBUF, kUdpBufferBytes);
}

Fd open_one(const HostPort& hp, int type, bool reuseport) {
    const SockAddr a = to_sockaddr(hp);
    const char* proto = type == SOCK_DGRAM ? "UDP" : "TCP";
    Fd fd(::socket(a.family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) fail(hp, proto, "open a socket for", errno);
    if (a.family == AF_INET6) set_int(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 1);
    // TCP: let a restarted dnsd bind while old connections sit in TIME_WAIT; a live listener
    // on the port still makes bind fail.
    if (type == SOCK_STREAM) set_int(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1);
    if (reuseport) set_int(fd.get(), SOL_SOCKET, SO_REUSEPORT, 1);
    if (type == SOCK_DGRAM) enlarge_udp_buffers(fd.get());
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a.storage), a.length) != 0)
        fail(hp, proto, "listen on", errno);
    if (type == SOCK_STREAM && ::listen(fd.get(), 1024) != 0) fail(hp, proto, "listen on", errno);
    return fd;
}

// SO_REUSEPORT would let a second dnsd of the same user join our port group silently and
// take half the queries. Binding once without it first proves that nobody else holds the port.
void ensure_free(const HostPort& hp, int type) {
    Fd probe = open_one(hp, type, false);
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

}  // namespace

std::vector<DnsSocketGroup> open_dns_sockets(const std::vector<HostPort>& addresses,
                                             unsigned workers) {
    std::vector<DnsSocketGroup> groups;
    for (HostPort hp : addresses) {
        DnsSocketGroup g;
        if (hp.port == 0) {
            // An ephemeral port: let the first UDP socket pick it, then use it everywhere.
            g.udp.push_back(open_one(hp, SOCK_DGRAM, true));
            hp.port = bound_port(g.udp.back().get());
        } else {
            ensure_free(hp, SOCK_DGRAM);
        }
        ensure_free(hp, SOCK_STREAM);
        g.address = hp;
        while (g.udp.size() < workers) g.udp.push_back(open_one(hp, SOCK_DGRAM, true));
        while (g.tcp.size() < workers) g.tcp.push_back(open_one(hp, SOCK_STREAM, true));
        groups.push_back(std::move(g));
    }
    return groups;
}

}  // namespace dnsd
