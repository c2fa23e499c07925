#include "dnsd/dnsctl_dns_client.hpp"

#include <arpa/inet.h>
#include <ares.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <type_traits>
#include <memory>
#include <stdexcept>

namespace dnsd::ctl {

namespace {

constexpr int kClassIn = 1;
constexpr int kTypeA = 1;
constexpr int kTypeAaaa = 28;
constexpr int kTypeSrv = 33;

struct ChannelCloser {
    void operator()(ares_channel channel) const { ares_destroy(channel); }
};
using Channel = std::unique_ptr<std::remove_pointer_t<ares_channel>, ChannelCloser>;

struct LibraryInit {
    LibraryInit() {
        if (const int rc = ares_library_init(ARES_LIB_INIT_ALL); rc != ARES_SUCCESS)
            throw std::runtime_error(std::string("c-ares: ") + ares_strerror(rc));
    }
    ~LibraryInit() { ares_library_cleanup(); }
};

Channel open_channel(const Endpoint& server, std::chrono::milliseconds timeout) {
    ares_options options{};
    int mask = 0;
    // Two tries: c-ares doubles the timeout of the second, so a third + two thirds = timeout.
    options.timeout = static_cast<int>(std::max<std::int64_t>(timeout.count() / 3, 10));
    mask |= ARES_OPT_TIMEOUTMS;
    options.tries = 2;
    mask |= ARES_OPT_TRIES;
    // Report SERVFAIL and REFUSED as they are instead of retrying them as a broken server.
    options.flags = ARES_FLAG_NOCHECKRESP;
    mask |= ARES_OPT_FLAGS;
    ares_channel raw = nullptr;
    if (const int rc = ares_init_options(&raw, &options, mask); rc != ARES_SUCCESS)
        throw std::runtime_error(std::string("c-ares: ") + ares_strerror(rc));
    Channel channel(raw);
    if (const int rc = ares_set_servers_ports_csv(raw, server.to_string().c_str()); rc != ARES_SUCCESS)
        throw std::runtime_error("c-ares cannot use DNS server " + server.to_string() + ": " + ares_strerror(rc));
    return channel;
}

// Runs the channel until every query has called back (c-ares enforces the timeouts).
void run_queries(ares_channel channel) {
    while (true) {
        std::array<ares_socket_t, ARES_GETSOCK_MAXNUM> sockets{};
        const int bits = ares_getsock(channel, sockets.data(), ARES_GETSOCK_MAXNUM);
        std::vector<pollfd> fds;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
            if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
            if (events != 0) fds.push_back(pollfd{sockets[static_cast<std::size_t>(i)], events, 0});
        }
        if (fds.empty()) return;
        timeval tv{};
        ares_timeout(channel, nullptr, &tv);
        const int wait_ms = static_cast<int>(tv.tv_sec * 1000 + tv.tv_usec / 1000) + 1;
        const int ready = ::poll(fds.data(), fds.size(), wait_ms);
        if (ready <= 0) {
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
            continue;
        }
        for (const auto& fd : fds) {
            const bool readable = (fd.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
            const bool writable = (fd.revents & POLLOUT) != 0;
            ares_process_fd(channel, readable ? fd.fd : ARES_SOCKET_BAD, writable ? fd.fd : ARES_SOCKET_BAD);
        }
    }
}

DnsOutcome outcome_of(int status) {
    switch (status) {
        case ARES_SUCCESS: return DnsOutcome::ok;
        case ARES_ENOTFOUND: return DnsOutcome::nxdomain;
        case ARES_ENODATA: return DnsOutcome::nodata;
        case ARES_ETIMEOUT: return DnsOutcome::timeout;
        case ARES_ESERVFAIL: return DnsOutcome::servfail;
        case ARES_EREFUSED: return DnsOutcome::refused;
        case ARES_ECONNREFUSED: return DnsOutcome::unreachable;
        default: return DnsOutcome::failed;
    }
}

void on_srv(void* arg, int status, int, unsigned char* answer, int length) {
    SrvLookup& result = *static_cast<SrvLookup*>(arg);
    if (status == ARES_SUCCESS) {
        ares_srv_reply* records = nullptr;
        status = ares_parse_srv_reply(answer, length, &records);
        for (ares_srv_reply* r = records; status == ARES_SUCCESS && r != nullptr; r = r->next)
            result.targets.push_back(SrvTarget{r->host, r->priority, r->weight, r->port, {}});
        if (records != nullptr) ares_free_data(records);
    }
    result.outcome = outcome_of(status);
    if (result.outcome == DnsOutcome::failed) result.failure = ares_strerror(status);
}

void on_a(void* arg, int status, int, unsigned char* answer, int length) {
    auto& target = *static_cast<SrvTarget*>(arg);
    if (status != ARES_SUCCESS) return;
    std::array<ares_addrttl, 32> records{};
    int count = static_cast<int>(records.size());
    if (ares_parse_a_reply(answer, length, nullptr, records.data(), &count) != ARES_SUCCESS) return;
    for (int i = 0; i < count; ++i) {
        char text[INET_ADDRSTRLEN] = {};
        if (inet_ntop(AF_INET, &records[static_cast<std::size_t>(i)].ipaddr, text, sizeof text))
            target.addresses.emplace_back(text);
    }
}

void on_aaaa(void* arg, int status, int, unsigned char* answer, int length) {
    auto& target = *static_cast<SrvTarget*>(arg);
    if (status != ARES_SUCCESS) return;
    std::array<ares_addr6ttl, 32> records{};
    int count = static_cast<int>(records.size());
    if (ares_parse_aaaa_reply(answer, length, nullptr, records.data(), &count) != ARES_SUCCESS) return;
    for (int i = 0; i < count; ++i) {
        char text[INET6_ADDRSTRLEN] = {};
        if (inet_ntop(AF_INET6, &records[static_cast<std::size_t>(i)].ip6addr, text, sizeof text))
            target.addresses.emplace_back(text);
    }
}

}  // namespace

SrvLookup lookup_srv(const Endpoint& server, const std::string& name, std::chrono::milliseconds timeout) {
    static LibraryInit library;
    Channel channel = open_channel(server, timeout);
    SrvLookup result;
    ares_query(channel.get(), name.c_str(), kClassIn, kTypeSrv, on_srv, &result);
    run_queries(channel.get());
    if (result.outcome != DnsOutcome::ok) return result;
    // The vector does not grow from here on: the callbacks may hold pointers into it.
    for (SrvTarget& target : result.targets) {
        ares_query(channel.get(), target.target.c_str(), kClassIn, kTypeA, on_a, &target);
        ares_query(channel.get(), target.target.c_str(), kClassIn, kTypeAaaa, on_aaaa, &target);
    }
    run_queries(channel.get());
    return result;
}

}  // namespace dnsd::ctl
