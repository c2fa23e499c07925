#pragma once
// Times how long a new instance takes to appear in DNS: from the moment its heartbeat was
// written to the first UDP answer for `I.S.<domain> A` that carries an address. Each watched
// name is asked again as soon as a negative answer comes back (one query in flight per name),
// and again after 100 ms without any answer (a lost datagram).
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace hbload {

class VisibilityProbe {
public:
    using Clock = std::chrono::steady_clock;

    // Throws boost::system::system_error when the socket cannot be opened.
    VisibilityProbe(boost::asio::io_context& io, boost::asio::ip::udp::endpoint server,
                    std::chrono::milliseconds bound);

    void start();
    void stop();
    // `name` (fully qualified, no trailing dot) should answer soon: the heartbeat for it was
    // written at `since`.
    void watch(std::string name, Clock::time_point since);

    std::size_t pending() const { return watches_.size(); }
    const std::vector<double>& visible_ms() const { return visible_ms_; }
    std::uint64_t invisible() const { return invisible_; }
    std::uint64_t queries() const { return queries_; }

private:
    struct Watch {
        std::string name;
        Clock::time_point since;
        Clock::time_point asked;
    };
    void ask(Watch watch);
    void receive();
    void sweep();

    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint server_;
    boost::asio::steady_timer sweep_timer_;
    std::chrono::milliseconds bound_;
    std::unordered_map<std::uint16_t, Watch> watches_;  // by the id of the query in flight
    std::uint16_t next_id_ = 1;
    std::vector<std::uint8_t> reply_buffer_ = std::vector<std::uint8_t>(1500);
    boost::asio::ip::udp::endpoint reply_from_;
    std::vector<double> visible_ms_;
    std::uint64_t invisible_ = 0;
    std::uint64_t queries_ = 0;
    bool stopped_ = false;
};

}  // namespace hbload
