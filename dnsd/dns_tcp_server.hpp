#pragma once
// DNS over TCP (RFC 1035 §4.2.2, RFC 7766): a coroutine per connection, length-prefixed
// messages answered in order, the connection kept open for more until it idles out.
#include <atomic>
#include <chrono>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "dnsd/dns_sockets.hpp"
#include "dnsd/metrics.hpp"
#include "dnsd/snapshot_reader.hpp"
#include "registry/clock.hpp"

namespace dnsd {

struct DnsTcpLimits {
    std::chrono::seconds idle{10};           // between queries on an open connection
    std::chrono::seconds io{5};              // to finish reading or writing one message
    unsigned max_connections = 512;          // across all workers
};

class DnsTcpServer {
public:
    DnsTcpServer(boost::asio::io_context& io, Fd listener, const zones::ZonePublisher& zones,
                 DnsCounters& counters, const registry::Clock& clock,
                 std::atomic<unsigned>& open_connections, DnsTcpLimits limits = {});
    void start();
    void stop();

private:
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);

    boost::asio::ip::tcp::acceptor acceptor_;
    const zones::ZonePublisher& zones_;
    DnsCounters& counters_;
    const registry::Clock& clock_;
    std::atomic<unsigned>& open_connections_;
    DnsTcpLimits limits_;
};

}  // namespace dnsd
