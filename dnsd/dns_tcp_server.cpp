#include "dnsd/dns_tcp_server.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <span>

#include "dnsd/dns_tcp_framing.hpp"
#include "zones/query.hpp"

namespace dnsd {

namespace asio = boost::asio;
using asio::ip::tcp;

DnsTcpServer::DnsTcpServer(asio::io_context& io, Fd listener, const zones::ZonePublisher& zones,
                           DnsCounters& counters, const registry::Clock& clock,
                           std::atomic<unsigned>& open_connections, DnsTcpLimits limits)
    : acceptor_(io), zones_(zones), counters_(counters), clock_(clock),
      open_connections_(open_connections), limits_(limits) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    acceptor_.assign(ss.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), listener.release());
}

void DnsTcpServer::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }

void DnsTcpServer::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

asio::awaitable<void> DnsTcpServer::accept_loop() {
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec) continue;  // e.g. the peer reset before accept, or out of descriptors for now
        if (open_connections_.fetch_add(1) >= limits_.max_connections) {
            // Over the cap: close at once rather than let slow clients starve the rest.
            open_connections_.fetch_sub(1);
            continue;
        }
        asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
    }
}

asio::awaitable<void> DnsTcpServer::serve(tcp::socket socket) {
    struct Release {
        std::atomic<unsigned>& n;
        ~Release() { n.fetch_sub(1); }
    } release{open_connections_};

    // Each reply is one write of a whole message; Nagle would hold the second of two pipelined
    // replies until the client acknowledged the first, which a client with nothing to send
    // delays by 40 ms. No small writes here for Nagle to save.
    boost::system::error_code no_delay_ec;
    socket.set_option(tcp::no_delay(true), no_delay_ec);  // a failure leaves the default: slower, still right
    boost::beast::tcp_stream stream(std::move(socket));
    SnapshotReader snapshots(zones_);
    // One connection's buffers: the splitter holds what was read (pipelined queries may come
    // in one read), the reply is at most 65535 bytes after its prefix.
    TcpFrameSplitter frames;
    auto reply = std::make_unique<std::array<std::uint8_t, 2 + 65535>>();
    // A message once begun must arrive whole within limits_.io, however it is split: a slow
    // sender trickling bytes cannot hold the connection open past that.
    std::optional<std::chrono::steady_clock::time_point> message_deadline;
    for (;;) {
        boost::system::error_code ec;
        const Frame frame = frames.next();
        if (frame.status == FrameStatus::empty_message) co_return;  // no DNS message is empty
        if (frame.status == FrameStatus::message) {
            message_deadline.reset();
            const auto info = zones::answer_query(frame.message, std::span<std::uint8_t>(reply->data() + 2, 65535),
                                                  snapshots.current(), clock_.mono_ms(), true);
            counters_.count(info, true);
            if (info.size == 0) co_return;  // nothing sensible to say: drop the connection
            (*reply)[0] = static_cast<std::uint8_t>(info.size >> 8);
            (*reply)[1] = static_cast<std::uint8_t>(info.size & 0xff);
            stream.expires_after(limits_.io);
            co_await asio::async_write(stream, asio::buffer(reply->data(), info.size + 2),
                                       asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            continue;
        }
        if (frames.buffered() == 0) {
            stream.expires_after(limits_.idle);
        } else {
            if (!message_deadline) message_deadline = std::chrono::steady_clock::now() + limits_.io;
            stream.expires_at(*message_deadline);
        }
        const std::span<std::uint8_t> space = frames.free_space();
        const std::size_t n = co_await stream.async_read_some(asio::buffer(space.data(), space.size()),
                                                              asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;  // closed by the client, idle or I/O timeout, or shutdown
        frames.commit(n);
    }
}

}  // namespace dnsd
