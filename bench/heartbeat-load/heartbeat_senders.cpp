#include "heartbeat_senders.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace hbload {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::microseconds kPacerTick{200};
constexpr std::chrono::milliseconds kReconnectPause{50};
constexpr std::chrono::seconds kIoTimeout{5};

std::string random_tag() {
    std::random_device rd;
    char tag[9];
    std::snprintf(tag, sizeof tag, "%08x", rd());
    return tag;
}

}  // namespace

HeartbeatSenders::HeartbeatSenders(asio::io_context& io, const LoadOptions& options,
                                   std::vector<VisibilityProbe*> probes)
    : io_(io), options_(options), probes_(std::move(probes)),
      server_(asio::ip::make_address(options.http.host), options.http.port),
      run_tag_(random_tag()) {
    for (int i = 0; i < options.connections; ++i)
        connections_.push_back(std::make_unique<Connection>(io));
}

HeartbeatSenders::Job HeartbeatSenders::make_job(std::uint64_t n) const {
    const auto services = static_cast<std::uint64_t>(options_.services);
    char body[256];
    Job job;
    if (n % static_cast<std::uint64_t>(options_.sample_every) == 0) {
        // A new instance: unique id, so its first appearance in DNS can only come from this.
        const std::uint64_t k = n / static_cast<std::uint64_t>(options_.sample_every);
        const std::string service = options_.service_prefix + std::to_string(k % services);
        const std::string id = "v" + run_tag_ + "-" + std::to_string(k);
        std::snprintf(body, sizeof body,
                      R"({"service":"%s","address":"10.2.%u.%u","port":9000,"id":"%s","ttl":60})",
                      service.c_str(), static_cast<unsigned>((k >> 8) & 255),
                      static_cast<unsigned>(k & 255), id.c_str());
        job.watch_name = id + "." + service + "." + options_.domain;
    } else {
        // A renewal of the fixed pool: services x instances_per_service instances.
        const std::uint64_t service = n % services;
        const std::uint64_t instance =
            (n / services) % static_cast<std::uint64_t>(options_.instances_per_service);
        std::snprintf(body, sizeof body,
                      R"({"service":"%s%llu","address":"10.1.%u.%u","port":%u,"id":"r%llu","ttl":60})",
                      options_.service_prefix.c_str(), static_cast<unsigned long long>(service),
                      static_cast<unsigned>(service % 250), static_cast<unsigned>(instance % 250 + 1),
                      static_cast<unsigned>(8000 + instance % 1000),
                      static_cast<unsigned long long>(instance));
    }
    job.body = body;
    return job;
}

void HeartbeatSenders::dispatch(Job job) {
    const auto load = [](const std::unique_ptr<Connection>& c) {
        return c->queue.size() + (c->busy ? 1 : 0);
    };
    auto& target = **std::min_element(connections_.begin(), connections_.end(),
                                       [&](const auto& a, const auto& b) { return load(a) < load(b); });
    target.queue.push_back(std::move(job));
    target.wake.cancel();
}

void HeartbeatSenders::fail(const std::string& what) {
    ++counts_.errors;
    if (counts_.first_error.empty()) counts_.first_error = what;
}

asio::awaitable<void> HeartbeatSenders::serve(Connection& connection) {
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request{http::verb::post, "/v1/heartbeat", 11};
    request.set(http::field::host, options_.http.host);
    request.set(http::field::content_type, "application/json");
    request.keep_alive(true);
    for (;;) {
        while (connection.queue.empty()) {
            if (finished_) {
                connection.done = true;
                co_return;
            }
            connection.wake.expires_at(Clock::time_point::max());
            boost::system::error_code ignored;
            co_await connection.wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
        if (!stream) {
            stream.emplace(io_);
            buffer.clear();
            stream->expires_after(kIoTimeout);
            auto [ec] = co_await stream->async_connect(server_, kNoThrow);
            if (ec) {
                stream.reset();
                if (counts_.first_error.empty()) counts_.first_error = "connect: " + ec.message();
                asio::steady_timer pause(io_, kReconnectPause);
                co_await pause.async_wait(kNoThrow);
                if (finished_) {  // nobody to send to: what is left was never sent
                    counts_.errors += connection.queue.size();
                    connection.queue.clear();
                }
                continue;
            }
        }
        Job job = std::move(connection.queue.front());
        connection.queue.pop_front();
        connection.busy = true;
        request.body() = std::move(job.body);
        request.prepare_payload();
        stream->expires_after(kIoTimeout);
        const auto written_at = Clock::now();
        auto [ec, n] = co_await http::async_write(*stream, request, kNoThrow);
        if (!ec) {
            ++counts_.sent;
            last_write_ = written_at;
            if (!job.watch_name.empty())
                for (auto* probe : probes_) probe->watch(job.watch_name, written_at);
            http::response<http::string_body> response;
            std::tie(ec, n) = co_await http::async_read(*stream, buffer, response, kNoThrow);
            if (!ec) {
                if (response.result_int() / 100 == 2)
                    ++counts_.ok;
                else
                    fail("HTTP " + std::to_string(response.result_int()) + ": " + response.body());
                if (!response.keep_alive()) stream.reset();
            }
        }
        connection.busy = false;
        if (ec) {
            fail("HTTP connection: " + ec.message());
            stream.reset();
        }
    }
}

asio::awaitable<void> HeartbeatSenders::run() {
    for (auto& connection : connections_)
        asio::co_spawn(io_, serve(*connection), asio::detached);

    const auto total = static_cast<std::uint64_t>(std::llround(options_.rate * options_.duration_s));
    std::uint64_t issued = 0;
    start_ = Clock::now();
    last_write_ = start_;
    asio::steady_timer pacer(io_);
    auto next_tick = start_;
    while (issued < total) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
        const auto due = std::min<std::uint64_t>(
            total, static_cast<std::uint64_t>(std::floor(options_.rate * elapsed)) + 1);
        while (issued < due) dispatch(make_job(issued++));
        next_tick += kPacerTick;
        pacer.expires_at(next_tick);
        co_await pacer.async_wait(kNoThrow);
    }

    // The answers still owed, then the probes still looking; both bounded.
    finished_ = true;
    for (auto& connection : connections_) connection->wake.cancel();
    const auto give_up = Clock::now() + kIoTimeout +
                         std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(options_.visibility_bound_s));
    const auto all_done = [&] {
        return std::all_of(connections_.begin(), connections_.end(),
                            [](const auto& c) { return c->done; });
    };
    const auto probes_pending = [&] {
        return std::any_of(probes_.begin(), probes_.end(), [](const auto* p) { return p->pending() > 0; });
    };
    while ((!all_done() || probes_pending()) && Clock::now() < give_up) {
        pacer.expires_after(std::chrono::milliseconds(5));
        co_await pacer.async_wait(kNoThrow);
    }
    for (auto& connection : connections_) {
        counts_.errors += connection->queue.size();  // never sent
        connection->queue.clear();
    }
    counts_.send_seconds = std::chrono::duration<double>(last_write_ - start_).count();
}

}  // namespace hbload
