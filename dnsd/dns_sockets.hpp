#pragma once
// Listening sockets for the DNS workers: one UDP socket and one TCP listener per worker and
// address, sharing the port with SO_REUSEPORT so the kernel spreads queries over the workers.
#include <string>
#include <vector>

#include "dnsd/config.hpp"

namespace dnsd {

// An owned file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(o.release()) {}
    Fd& operator=(Fd&& o) noexcept;
    ~Fd();
    int get() const { return fd_; }
    int release() { int f = fd_; fd_ = -1; return f; }

private:
    int fd_ = -1;
};

struct DnsSocketGroup {
    HostPort address;
    std::vector<Fd> udp;  // one per worker
    std::vector<Fd> tcp;  // one listening socket per worker
};

// Opens the sockets for every --dns address. Throws std::system_error with a sentence naming
// the address when one cannot be bound (in use, not local, no permission).
std::vector<DnsSocketGroup> open_dns_sockets(const std::vector<HostPort>& addresses,
                                             unsigned workers);

}  // namespace dnsd
