#pragma once
// Turns the --join addresses into gossip seeds. IP literals are seeds at once; host names are
// resolved with c-ares on the control io_context (never blocking it: c-ares' sockets are
// polled from a short timer while a lookup is in flight), retried every `retry` until they
// resolve, then looked up again now and then so that a peer moved to a new address is found.
#include <ares.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace dnsd {

struct JoinResolverOptions {
    std::chrono::milliseconds retry{3'000};      // while a name does not resolve
    std::chrono::milliseconds refresh{60'000};   // after it did
    std::chrono::milliseconds poll{20};          // c-ares sockets, only while a lookup runs
    int lookup_timeout_ms = 2'000;               // one try against one DNS server
    std::string servers;                         // "ip[:port],..." or empty: /etc/resolv.conf
};

class JoinResolver {
public:
    // Called with "ip:port" ("[v6]:port") for every address found, possibly again later.
    using OnAddress = std::function<void(const std::string& address)>;

    // joins: "host:port" as normalized by parse_join_address. Throws std::runtime_error when
    // c-ares cannot be initialized (start-up).
    JoinResolver(boost::asio::io_context& control, std::vector<std::string> joins, OnAddress on_address,
                 JoinResolverOptions options = {});
    ~JoinResolver();
    JoinResolver(const JoinResolver&) = delete;
    JoinResolver& operator=(const JoinResolver&) = delete;

    // Hands out the literals now and starts the look-ups of the names.
    void start();
    void stop();

    // How many look-ups of names have completed (found or not): for tests and logs.
    std::size_t lookups_done() const { return lookups_done_; }
    std::size_t pending() const { return pending_; }

private:
    struct Target {
        std::string host;
        std::uint16_t port = 0;
        boost::asio::steady_timer timer;
        unsigned failures = 0;  // in a row
    };
    struct Lookup {
        JoinResolver* self;
        std::size_t target;
    };

    void look_up(std::size_t target);
    void looked_up(std::size_t target, int status, const ares_addrinfo* result);
    void schedule_poll();
    void poll_sockets();
    static void on_result(void* arg, int status, int timeouts, ares_addrinfo* result);

    boost::asio::io_context& control_;
    OnAddress on_address_;
    JoinResolverOptions options_;
    std::vector<std::unique_ptr<Target>> targets_;
    std::vector<std::string> literals_;
    ares_channel channel_ = nullptr;
    boost::asio::steady_timer poll_timer_;
    bool polling_ = false;
    bool stopped_ = false;
    std::size_t pending_ = 0;
    std::size_t lookups_done_ = 0;
};

}  // namespace dnsd
