// dnsd: DNS-based service discovery server. See dnsd(8).
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <cstdio>
#include <iostream>

#include "dnsd/config_parser.hpp"
#include "dnsd/data_dir_lock.hpp"
#include "dnsd/dns_service.hpp"
#include "dnsd/http_server.hpp"
#include "dnsd/malloc_huge_pages.hpp"
#include "dnsd/node.hpp"
#include "dnsd_version.hpp"

namespace {

void setup_logging(const std::string& level) {
    auto logger = spdlog::stderr_logger_mt("dnsd");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(logger);
}

int run(const dnsd::Config& config) {
    using namespace dnsd;
    registry::SystemClock clock;
    boost::asio::io_context control{1};

    // Everything that can fail for reasons outside dnsd (a port in use, a locked data
    // directory) is acquired before anything starts, so failure leaves nothing half running.
    DataDirLock lock(config.data_dir);
    Node node(control, config, clock);
    DnsService dns(config, node.zones(), node.metrics(), clock);
    HttpServer http(node, config.http);
    node.use_bound_http_port(http.port());

    node.start();
    dns.start();
    http.start();
    for (const auto& a : dns.addresses()) spdlog::info("DNS on {} (UDP and TCP), zone '{}'", a.to_string(), config.domain);
    spdlog::info("HTTP on {}:{}; node '{}', {} DNS thread(s), dnsd {}", config.http.host, http.port(),
                 config.node_name, config.threads, kVersion);

    boost::asio::signal_set stop_signals(control, SIGTERM, SIGINT);
    boost::asio::signal_set hup(control, SIGHUP);
    boost::asio::steady_timer leave_timer(control);
    std::function<void()> wait_for_leave;
    stop_signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        spdlog::info("signal {}: stopping", signo);
        http.stop();
        dns.stop();
        auto finish = [&] {
            node.stop();
            hup.cancel();
            control.stop();
        };
        if (!node.leave()) return finish();
        // The leave is pushed to peers by this loop: wait until it went out, but at most
        // 300 ms, so that a stop never hangs on an unreachable peer (it learns from others).
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
        wait_for_leave = [&, finish, give_up] {
            if (node.gossip_in_flight() == 0 || std::chrono::steady_clock::now() >= give_up)
                return finish();
            leave_timer.expires_after(std::chrono::milliseconds(10));
            leave_timer.async_wait([&](const boost::system::error_code&) { wait_for_leave(); });
        };
        wait_for_leave();
    });
    std::function<void()> wait_hup = [&] {
        hup.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            node.reload_zone_file();  // logs the outcome; a bad file keeps the old records
            wait_hup();
        });
    };
    wait_hup();

    control.run();
    // Let the cancelled operations (blocking queries, HTTP sessions) complete now, while the
    // Node and servers they refer to still exist; otherwise their coroutine frames would be
    // destroyed with the io_context, after those objects. Bounded: all sockets are closed.
    control.restart();
    control.run_for(std::chrono::seconds(2));
    spdlog::info("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    dnsd::exec_with_malloc_huge_pages(argv);
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto outcome = dnsd::parse_config(args);
    if (!outcome.config) {
        (outcome.exit_code == 0 ? std::cout : std::cerr) << outcome.message;
        return outcome.exit_code;
    }
    setup_logging(outcome.config->log_level);
    try {
        return run(*outcome.config);
    } catch (const dnsd::ZoneFileRefused& e) {
        spdlog::error("{}", e.what());
        return 2;  // bad input given at start, as a bad option is
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
}
