#include "dnsd/dns_service.hpp"

#include <string>

#include <boost/asio/post.hpp>

#include "dnsd/dns_sockets.hpp"
#include "dnsd/thread_name.hpp"

namespace dnsd {

DnsService::DnsService(const Config& config, const zones::ZonePublisher& zones, Metrics& metrics,
                       const registry::Clock& clock) {
    auto groups = open_dns_sockets(config.dns, config.threads);
    for (unsigned w = 0; w < config.threads; ++w) {
        auto worker = std::make_unique<Worker>();
        DnsCounters& counters = metrics.add_dns_counters();
        for (auto& g : groups) {
            worker->udp.push_back(std::make_unique<DnsUdpWorker>(worker->io, std::move(g.udp[w]),
                                                                 zones, counters, clock));
            worker->tcp.push_back(std::make_unique<DnsTcpServer>(worker->io, std::move(g.tcp[w]), zones,
                                                                 counters, clock, open_tcp_connections_));
        }
        workers_.push_back(std::move(worker));
    }
    for (const auto& g : groups) addresses_.push_back(g.address);
}

DnsService::~DnsService() { stop(); }

void DnsService::start() {
    for (std::size_t n = 0; n < workers_.size(); ++n) {
        Worker* w = workers_[n].get();
        for (auto& u : w->udp) u->start();
        for (auto& t : w->tcp) t->start();
        w->thread = std::thread([io = &w->io, n] {
            name_this_thread("dnsd-dns" + std::to_string(n));
            io->run();
        });
    }
}

void DnsService::stop() {
    for (auto& w : workers_) {
        // Close the sockets on the worker's own thread (Asio objects are not thread-safe),
        // then stop its loop: open TCP connections are cut, as on any server shutdown.
        boost::asio::post(w->io, [worker = w.get()] {
            for (auto& u : worker->udp) u->stop();
            for (auto& t : worker->tcp) t->stop();
            worker->io.stop();
        });
    }
    for (auto& w : workers_)
        if (w->thread.joinable()) w->thread.join();
}

}  // namespace dnsd
