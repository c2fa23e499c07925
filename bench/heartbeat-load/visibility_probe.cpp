#include "visibility_probe.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>

#include "dns_probe_wire.hpp"

namespace hbload {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {
constexpr std::chrono::milliseconds kAskAgainAfterSilence{100};
constexpr std::chrono::milliseconds kSweepPeriod{10};

double ms_between(VisibilityProbe::Clock::time_point from, VisibilityProbe::Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}
}  // namespace

VisibilityProbe::VisibilityProbe(udp::endpoint server, std::chrono::milliseconds bound)
    : work_(asio::make_work_guard(io_)), socket_(io_, udp::endpoint(server.protocol(), 0)),
      server_(server), sweep_timer_(io_), bound_(bound) {}

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
        socket_.close(ignored);
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
    boost::system::error_code ec;
    socket_.send_to(asio::buffer(query), server_, 0, ec);  // a failure shows up as silence
    ++queries_;
    watches_.emplace(id, std::move(watch));
}

void VisibilityProbe::receive() {
    socket_.async_receive_from(
        asio::buffer(reply_buffer_), reply_from_,
        [this](const boost::system::error_code& ec, std::size_t n) {
            if (stopped_ || ec == asio::error::operation_aborted) return;
            const auto now = Clock::now();
            if (!ec) {
                const auto reply = summarize_reply(std::span(reply_buffer_.data(), n));
                const auto it = reply ? watches_.find(reply->id) : watches_.end();
                if (it != watches_.end()) {
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
            }
            receive();
        });
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
