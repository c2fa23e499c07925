#pragma once
// Times how long a new instance takes to appear in DNS: from the moment its heartbeat was
// written to the first answer for `I.S.<domain> A` that carries an address. Each watched
// name is asked again as soon as a negative answer comes back (one query in flight per name),
// and again after 100 ms without any answer (a lost datagram).
//
// Over UDP, the probe's queries share dnsd's socket queue with the DNS load (dnsperf keeps
// hundreds of queries outstanding), so at full load each one waits its turn behind them: the
// figure is then the load's queueing as much as dnsd's publishing. Over TCP (RFC 7766: one
// connection, queries pipelined, answered in order) a query skips that queue but is read by
// the DNS worker between rounds of UDP batches; the two figures side by side tell queueing
// from publishing.
//
// The probe runs on a thread and io_context of its own: on the senders' loop, an answer or a
// re-ask would wait behind the HTTP traffic of that loop, and the figure would measure this
// program's queue rather than dnsd.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace hbload {

enum class ProbeTransport { udp, tcp };

class VisibilityProbe {
public:
    using Clock = std::chrono::steady_clock;

    // Throws boost::system::system_error when the socket cannot be opened (or, over TCP, the
    // connection cannot be made).
    VisibilityProbe(ProbeTransport transport, boost::asio::ip::address server, std::uint16_t port,
                    std::chrono::milliseconds bound);
    ~VisibilityProbe();
    VisibilityProbe(const VisibilityProbe&) = delete;
    VisibilityProbe& operator=(const VisibilityProbe&) = delete;

    // Starts the probe's thread.
    void start();
    // Any thread: ends the probe and joins its thread. The results below are read after it.
    void stop();
    // Any thread: `name` (fully qualified, no trailing dot) should answer soon: the heartbeat
    // for it was written at `since`. The first query goes out from the probe's thread at once.
    void watch(std::string name, Clock::time_point since);

    // Any thread: names watched and not yet seen or given up.
    std::size_t pending() const { return pending_.load(std::memory_order_acquire); }
    const std::vector<double>& visible_ms() const { return visible_ms_; }
    // For each visible sample, the round trip of the query that found it: the share of
    // visible_ms that is resolution, not waiting for dnsd to publish.
    const std::vector<double>& answer_rtt_ms() const { return answer_rtt_ms_; }
    std::uint64_t invisible() const { return invisible_; }
    std::uint64_t queries() const { return queries_; }

private:
    struct Watch {
        std::string name;
        Clock::time_point since;
        Clock::time_point asked;
    };
    void ask(Watch watch);
    void send(const std::vector<std::uint8_t>& query);
    void receive();
    void receive_tcp();
    void reconnect_tcp();
    // Connects the TCP socket to the server, Nagle off (queries are written whole).
    bool connect_tcp(boost::system::error_code& ec);
    void on_reply(std::span<const std::uint8_t> message);
    void sweep();
    void finish(std::size_t n = 1) { pending_.fetch_sub(n, std::memory_order_acq_rel); }

    boost::asio::io_context io_{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
    ProbeTransport transport_;
    boost::asio::ip::udp::socket udp_;  // open over UDP only
    boost::asio::ip::tcp::socket tcp_;  // connected over TCP only
    boost::asio::ip::udp::endpoint server_;
    boost::asio::steady_timer sweep_timer_;
    std::chrono::milliseconds bound_;
    std::atomic<std::size_t> pending_{0};
    // Everything below: the probe's thread only (read by others after stop()).
    std::unordered_map<std::uint16_t, Watch> watches_;  // by the id of the query in flight
    std::uint16_t next_id_ = 1;
    std::vector<std::uint8_t> reply_buffer_ = std::vector<std::uint8_t>(65535);
    std::array<std::uint8_t, 2> tcp_length_{};
    boost::asio::ip::udp::endpoint reply_from_;
    std::vector<double> visible_ms_;
    std::vector<double> answer_rtt_ms_;
    std::uint64_t invisible_ = 0;
    std::uint64_t queries_ = 0;
    bool stopped_ = false;
};

}  // namespace hbload
