#include "visibility_probe.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>

#include "dns_probe_wire.hpp"

namespace hbload {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using tcp = asio::ip::tcp;

namespace {
constexpr std::chrono::milliseconds kAskAgainAfterSilence{100};
constexpr std::chrono::milliseconds kSweepPeriod{10};

double ms_between(VisibilityProbe::Clock::time_point from, VisibilityProbe::Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}
}  // namespace

VisibilityProbe::VisibilityProbe(ProbeTransport transport, asio::ip::address server,
                                 std::uint16_t port, std::chrono::milliseconds bound)
    : work_(asio::make_work_guard(io_)), transport_(transport), udp_(io_), tcp_(io_),
      server_(server, port), sweep_timer_(io_), bound_(bound) {
    if (transport_ == ProbeTransport::udp) {
        udp_.open(server_.protocol());
    } else if (boost::system::error_code ec; !connect_tcp(ec)) {
        throw boost::system::system_error(ec);
    }
}

bool VisibilityProbe::connect_tcp(boost::system::error_code& ec) {
    tcp_.connect(tcp::endpoint(server_.address(), server_.port()), ec);
    if (!ec) tcp_.set_option(tcp::no_delay(true), ec);
    return !ec;
}

VisibilityProbe::~VisibilityProbe() { stop(); }

void VisibilityProbe::start() {
    receive();
    sweep();
    thread_ = std::thread([this] { io_.run(); });
}

void VisibilityProbe::stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] {
        stopped_ = true;
        boost::system::error_code ignored;
        udp_.close(ignored);
        tcp_.close(ignored);
        sweep_timer_.cancel();
        work_.reset();
    });
    thread_.join();
}

void VisibilityProbe::watch(std::string name, Clock::time_point since) {
    pending_.fetch_add(1, std::memory_order_acq_rel);
    asio::post(io_, [this, name = std::move(name), since]() mutable {
        if (stopped_) return finish();
        ask(Watch{std::move(name), since, since});
    });
}

void VisibilityProbe::ask(Watch watch) {
    // Ids are handed out in turn, skipping those still in flight: a late answer to an old
    // query can never be taken for the answer to a new one.
    while (watches_.count(next_id_)) ++next_id_;
    const std::uint16_t id = next_id_++;
    const auto query = make_a_query(id, watch.name);
    watch.asked = Clock::now();
    send(query);
    ++queries_;
    watches_.emplace(id, std::move(watch));
}

void VisibilityProbe::send(const std::vector<std::uint8_t>& query) {
    boost::system::error_code ec;  // a failure shows up as silence, and the query is asked again
    if (transport_ == ProbeTransport::udp) {
        udp_.send_to(asio::buffer(query), server_, 0, ec);
        return;
    }
    // A few dozen bytes on a connection with room to spare: written at once, in order, so the
    // length prefix and its message are never split by another query.
    const std::array<std::uint8_t, 2> length{static_cast<std::uint8_t>(query.size() >> 8),
                                             static_cast<std::uint8_t>(query.size() & 0xff)};
    const std::array<asio::const_buffer, 2> framed{asio::buffer(length), asio::buffer(query)};
    asio::write(tcp_, framed, ec);
}

void VisibilityProbe::receive() {
    if (transport_ == ProbeTransport::tcp) return receive_tcp();
    udp_.async_receive_from(
        asio::buffer(reply_buffer_), reply_from_,
        [this](const boost::system::error_code& ec, std::size_t n) {
            if (stopped_ || ec == asio::error::operation_aborted) return;
            if (!ec) on_reply(std::span(reply_buffer_.data(), n));
            receive();
        });
}

void VisibilityProbe::receive_tcp() {
    asio::async_read(tcp_, asio::buffer(tcp_length_), [this](const boost::system::error_code& prefix_ec, std::size_t) {
        if (stopped_ || prefix_ec == asio::error::operation_aborted) return;
        if (prefix_ec) return reconnect_tcp();
        const std::size_t length = (std::size_t{tcp_length_[0]} << 8) | tcp_length_[1];
        asio::async_read(tcp_, asio::buffer(reply_buffer_.data(), length),
                         [this](const boost::system::error_code& ec, std::size_t n) {
                             if (stopped_ || ec == asio::error::operation_aborted) return;
                             if (ec) return reconnect_tcp();
                             on_reply(std::span(reply_buffer_.data(), n));
                             receive_tcp();
                         });
    });
}

// dnsd closed the connection (idle, or restarted): open another; the sweep asks again every
// name whose answer was lost with it.
void VisibilityProbe::reconnect_tcp() {
    boost::system::error_code ec;
    tcp_.close(ec);
    if (!connect_tcp(ec)) return;  // dnsd is gone: the watches run out as invisible
    receive_tcp();
}

void VisibilityProbe::on_reply(std::span<const std::uint8_t> message) {
    const auto now = Clock::now();
    const auto reply = summarize_reply(message);
    const auto it = reply ? watches_.find(reply->id) : watches_.end();
    if (it == watches_.end()) return;
    Watch watch = std::move(it->second);
    watches_.erase(it);
    if (reply->rcode == 0 && reply->answers > 0) {
        visible_ms_.push_back(ms_between(watch.since, now));
        answer_rtt_ms_.push_back(ms_between(watch.asked, now));
        finish();
    } else {
        ask(std::move(watch));  // not there yet: at once again
    }
}

void VisibilityProbe::sweep() {
    sweep_timer_.expires_after(kSweepPeriod);
    sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopped_) return;
        const auto now = Clock::now();
        std::vector<Watch> again;
        for (auto it = watches_.begin(); it != watches_.end();) {
            if (now - it->second.since > bound_) {
                ++invisible_;
                finish();
                it = watches_.erase(it);
            } else if (now - it->second.asked > kAskAgainAfterSilence) {
                again.push_back(std::move(it->second));
                it = watches_.erase(it);
            } else {
                ++it;
            }
        }
        for (auto& watch : again) ask(std::move(watch));
        sweep();
    });
}

}  // namespace hbload
