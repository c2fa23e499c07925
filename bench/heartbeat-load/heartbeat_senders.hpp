#pragma once
// Heartbeats at a fixed rate over keep-alive HTTP connections (open loop: a timer decides when
// each is due, whatever the answers do; a due heartbeat waits in the queue of the least busy
// connection). Every `sample_every`-th heartbeat registers a new instance, handed to each
// visibility probe the moment its request is written.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "load_options.hpp"
#include "visibility_probe.hpp"

namespace hbload {

struct SendCounts {
    std::uint64_t sent = 0;    // requests written
    std::uint64_t ok = 0;      // 2xx answers
    std::uint64_t errors = 0;  // other answers, broken connections, requests never sent
    double send_seconds = 0;   // from the first due heartbeat to the last request written
    std::string first_error;   // what went wrong first, for a person to read
};

class HeartbeatSenders {
public:
    HeartbeatSenders(boost::asio::io_context& io, const LoadOptions& options,
                     std::vector<VisibilityProbe*> probes);

    // Sends for the whole duration, then waits (bounded) for the answers and the probes.
    boost::asio::awaitable<void> run();
    const SendCounts& counts() const { return counts_; }

private:
    struct Job {
        std::string body;
        std::string watch_name;  // non-empty: a new instance whose visibility is timed
    };
    struct Connection {
        explicit Connection(boost::asio::io_context& io) : wake(io) {}
        std::deque<Job> queue;
        bool busy = false;
        bool done = false;
        boost::asio::steady_timer wake;
    };

    Job make_job(std::uint64_t n) const;
    void dispatch(Job job);
    boost::asio::awaitable<void> serve(Connection& connection);
    void fail(const std::string& what);

    boost::asio::io_context& io_;
    const LoadOptions& options_;
    std::vector<VisibilityProbe*> probes_;
    boost::asio::ip::tcp::endpoint server_;
    std::vector<std::unique_ptr<Connection>> connections_;
    std::string run_tag_;  // makes the sampled ids unique across runs against one dnsd
    bool finished_ = false;
    SendCounts counts_;
    std::chrono::steady_clock::time_point start_, last_write_;
};

}  // namespace hbload
