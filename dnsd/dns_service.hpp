#pragma once
// The DNS side: N worker threads, each with its own io_context serving every --dns address
// over UDP and TCP. Workers share nothing but the published zone snapshot.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "dnsd/config.hpp"
#include "dnsd/dns_tcp_server.hpp"
#include "dnsd/dns_udp_worker.hpp"

namespace dnsd {

class DnsService {
public:
    // Binds every socket now, so that an address in use fails before anything else starts.
    DnsService(const Config& config, const zones::ZonePublisher& zones, Metrics& metrics,
               const registry::Clock& clock);
    ~DnsService();

    void start();  // starts the worker threads
    void stop();   // stops accepting and answering; joins the threads
    const std::vector<HostPort>& addresses() const { return addresses_; }

private:
    struct Worker {
        boost::asio::io_context io{1};
        std::vector<std::unique_ptr<DnsUdpWorker>> udp;
        std::vector<std::unique_ptr<DnsTcpServer>> tcp;
        std::thread thread;
    };
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<HostPort> addresses_;
    std::atomic<unsigned> open_tcp_connections_{0};
};

}  // namespace dnsd
