#include "dnsd/join_resolver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "dnsd/config_parser.hpp"
#include "registry/ip_address.hpp"

namespace dnsd {

namespace {

void init_cares_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (const int rc = ares_library_init(ARES_LIB_INIT_ALL); rc != ARES_SUCCESS)
            throw std::runtime_error(std::string("c-ares: ") + ares_strerror(rc));
    });
}

std::string address_text(const ares_addrinfo_node& node, std::uint16_t port) {
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (node.ai_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, node.ai_addr, sizeof in);
        if (!inet_ntop(AF_INET, &in.sin_addr, buf.data(), buf.size())) return {};
        return std::string(buf.data()) + ":" + std::to_string(port);
    }
    if (node.ai_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, node.ai_addr, sizeof in6);
        if (!inet_ntop(AF_INET6, &in6.sin6_addr, buf.data(), buf.size())) return {};
        return "[" + std::string(buf.data()) + "]:" + std::to_string(port);
    }
    return {};
}

}  // namespace

JoinResolver::JoinResolver(boost::asio::io_context& control, std::vector<std::string> joins,
                           OnAddress on_address, JoinResolverOptions options)
    : control_(control), on_address_(std::move(on_address)), options_(std::move(options)),
      poll_timer_(control) {
    for (const auto& join : joins) {
        auto hp = parse_join_address(join);
        if (!hp) throw std::invalid_argument("--join '" + join + "' was not validated");
        if (registry::IpAddress::parse(hp->host)) {
            literals_.push_back(hp->to_string());
            continue;
        }
        auto target = std::make_unique<Target>(Target{hp->host, hp->port, boost::asio::steady_timer(control_)});
        targets_.push_back(std::move(target));
    }
    if (targets_.empty()) return;  // no names: c-ares is not needed at all
    init_cares_once();
    ares_options opts{};
    opts.timeout = options_.lookup_timeout_ms;
    opts.tries = 2;
    if (const int rc = ares_init_options(&channel_, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
        rc != ARES_SUCCESS)
        throw std::runtime_error(std::string("c-ares: cannot start the --join resolver: ") + ares_strerror(rc));
    if (!options_.servers.empty()) {
        if (const int rc = ares_set_servers_ports_csv(channel_, options_.servers.c_str()); rc != ARES_SUCCESS) {
            ares_destroy(channel_);
            throw std::runtime_error(std::string("c-ares: bad servers: ") + ares_strerror(rc));
        }
    }
}

JoinResolver::~JoinResolver() {
    stop();
    // Completes every pending look-up with ARES_EDESTRUCTION; on_result then only frees it.
    if (channel_) ares_destroy(channel_);
}

void JoinResolver::start() {
    for (const auto& literal : literals_) on_address_(literal);
    for (std::size_t i = 0; i < targets_.size(); ++i) look_up(i);
}

void JoinResolver::stop() {
    stopped_ = true;
    poll_timer_.cancel();
    for (auto& t : targets_) t->timer.cancel();
}

void JoinResolver::look_up(std::size_t target) {
    if (stopped_) return;
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    ++pending_;
    // c-ares may call back at once (a name from /etc/hosts, a cached failure).
    ares_getaddrinfo(channel_, targets_[target]->host.c_str(), nullptr, &hints, &JoinResolver::on_result,
                     new Lookup{this, target});
    schedule_poll();
}

void JoinResolver::on_result(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
    std::unique_ptr<Lookup> lookup(static_cast<Lookup*>(arg));
    if (status != ARES_EDESTRUCTION) lookup->self->looked_up(lookup->target, status, result);
    if (result) ares_freeaddrinfo(result);
}

void JoinResolver::looked_up(std::size_t index, int status, const ares_addrinfo* result) {
    --pending_;
    ++lookups_done_;
    Target& target = *targets_[index];
    std::vector<std::string> found;
    if (status == ARES_SUCCESS && result)
        for (const ares_addrinfo_node* node = result->nodes; node; node = node->ai_next)
            if (auto text = address_text(*node, target.port);
                !text.empty() && std::find(found.begin(), found.end(), text) == found.end())
                found.push_back(std::move(text));
    if (found.empty()) {
        // Once as a warning, then quietly: a peer that is not up yet is a normal start.
        spdlog::log(target.failures++ == 0 ? spdlog::level::warn : spdlog::level::debug,
                    "--join {}:{}: cannot resolve ({}); trying again every {} ms", target.host,
                    target.port, ares_strerror(status), options_.retry.count());
    } else {
        target.failures = 0;
        std::string list;
        for (const auto& a : found) list += (list.empty() ? "" : ", ") + a;
        spdlog::info("--join {}:{} resolved to {}", target.host, target.port, list);
    }
    for (const auto& address : found) on_address_(address);
    if (stopped_) return;
    target.timer.expires_after(found.empty() ? options_.retry : options_.refresh);
    target.timer.async_wait([this, index](const boost::system::error_code& ec) {
        if (!ec) look_up(index);
    });
}

void JoinResolver::schedule_poll() {
    if (polling_ || pending_ == 0 || stopped_) return;
    polling_ = true;
    poll_timer_.expires_after(options_.poll);
    poll_timer_.async_wait([this](const boost::system::error_code& ec) {
        polling_ = false;
        if (ec) return;
        poll_sockets();
        schedule_poll();
    });
}

void JoinResolver::poll_sockets() {
    std::array<ares_socket_t, ARES_GETSOCK_MAXNUM> socks{};
    const int bits = ares_getsock(channel_, socks.data(), static_cast<int>(socks.size()));
    std::vector<pollfd> fds;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
        const bool rd = ARES_GETSOCK_READABLE(bits, i);
        const bool wr = ARES_GETSOCK_WRITABLE(bits, i);
        if (!rd && !wr) continue;
        auto events = static_cast<short>((rd ? POLLIN : 0) | (wr ? POLLOUT : 0));
        fds.push_back(pollfd{socks[static_cast<std::size_t>(i)], events, 0});
    }
    // Timeout 0: only asks which sockets are ready, never waits.
    if (!fds.empty() && ::poll(fds.data(), fds.size(), 0) > 0) {
        for (const auto& p : fds) {
            if (p.revents == 0) continue;
            const bool readable = (p.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
            const bool writable = (p.revents & POLLOUT) != 0;
            ares_process_fd(channel_, readable ? p.fd : ARES_SOCKET_BAD, writable ? p.fd : ARES_SOCKET_BAD);
        }
    }
    // Lets c-ares retry or give up on queries whose time is over.
    ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

}  // namespace dnsd
