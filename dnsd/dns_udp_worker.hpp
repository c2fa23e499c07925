#pragma once
// One worker's UDP loop on one socket: Asio tells when the socket is readable, then
// recvmmsg/sendmmsg move whole batches, so a busy server makes few system calls per query.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "dnsd/dns_sockets.hpp"
#include "dnsd/metrics.hpp"
#include "dnsd/snapshot_reader.hpp"
#include "registry/clock.hpp"

namespace dnsd {

class DnsUdpWorker {
public:
    DnsUdpWorker(boost::asio::io_context& io, Fd fd, const zones::ZonePublisher& zones,
                 DnsCounters& counters, const registry::Clock& clock);
    ~DnsUdpWorker();
    void start();
    void stop();

private:
    struct Buffers;
    boost::asio::awaitable<void> run();
    void serve_ready_batches();
    void arm_receive_headers();             // once: buffers, names, control space
    void rearm_receive_headers(int count);  // after a batch: what recvmmsg overwrote

    boost::asio::ip::udp::socket socket_;
    SnapshotReader snapshots_;
    DnsCounters& counters_;
    const registry::Clock& clock_;
    std::unique_ptr<Buffers> buffers_;
    bool wildcard_ = false;
};

}  // namespace dnsd
