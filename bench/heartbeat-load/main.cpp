// heartbeat-load: heartbeats to dnsd at a fixed rate, and how soon a new instance is in DNS.
//   heartbeat-load --http HOST:PORT --dns HOST:PORT --rate N --duration S [--services K]
//                  [--connections C]
// Prints one JSON line:
//   {"sent","ok","errors","rate_achieved","visibility_ms":{"p50","p99","max"},"samples",
//    "invisible","dns_queries","answer_rtt_ms":{"p50","p99","max"},
//    "tcp":{"visibility_ms":{...},"samples","invisible","dns_queries","answer_rtt_ms":{...}},
//    "server_publish_delay_ms":{"p50","p99","count"} or null,"cpu_s","run_s"}
// The top-level visibility figures are the UDP probe's; "tcp" the same samples timed by a
// probe asking over one TCP connection (see visibility_probe.hpp for why both).
// cpu_s: this program's own CPU time over the run (run_s of wall time), both threads: on a
// shared client core, what it took from the DNS load generator beside it.
// Exit: 0 when the run completed (read "errors" for failed requests), 2 bad usage, 1 failure.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include "heartbeat_senders.hpp"
#include "latency_summary.hpp"
#include "load_options.hpp"
#include "server_histogram.hpp"
#include "visibility_probe.hpp"

namespace asio = boost::asio;

namespace {

// CPU time of the whole process (CLOCK_PROCESS_CPUTIME_ID: the scheduler's exact figure, not
// tick-sampled), in seconds.
double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct RunCost {
    double cpu_s = 0;
    double run_s = 0;
};

// dnsd's histogram over this run, in ms, or null when dnsd has none (an older dnsd).
std::string server_figure(const std::optional<hbload::HistogramCounts>& before,
                          const std::optional<hbload::HistogramCounts>& after) {
    if (!before || !after) return "null";
    const auto run = hbload::histogram_delta(*before, *after);
    char text[128];
    std::snprintf(text, sizeof text, "{\"p50\":%.3f,\"p99\":%.3f,\"count\":%.0f}",
                  hbload::histogram_quantile(run, 0.50) * 1000,
                  hbload::histogram_quantile(run, 0.99) * 1000, run.count);
    return text;
}

// The members a probe contributes, without braces: "visibility_ms":{...},...,"answer_rtt_ms":{...}
std::string probe_figures(const hbload::VisibilityProbe& probe) {
    const auto v = hbload::summarize_latencies(probe.visible_ms());
    const auto rtt = hbload::summarize_latencies(probe.answer_rtt_ms());
    char text[320];
    std::snprintf(text, sizeof text,
                  "\"visibility_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},\"samples\":%zu,"
                  "\"invisible\":%llu,\"dns_queries\":%llu,"
                  "\"answer_rtt_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}",
                  v.p50, v.p99, v.max, probe.visible_ms().size(),
                  static_cast<unsigned long long>(probe.invisible()),
                  static_cast<unsigned long long>(probe.queries()), rtt.p50, rtt.p99, rtt.max);
    return text;
}

void print_result(const hbload::SendCounts& counts, const hbload::VisibilityProbe& udp_probe,
                  const hbload::VisibilityProbe& tcp_probe, const std::string& server,
                  const RunCost& cost) {
    const double rate = counts.send_seconds > 0 ? static_cast<double>(counts.sent) / counts.send_seconds : 0;
    std::printf(
        "{\"sent\":%llu,\"ok\":%llu,\"errors\":%llu,\"rate_achieved\":%.1f,%s,\"tcp\":{%s},"
        "\"server_publish_delay_ms\":%s,\"cpu_s\":%.3f,\"run_s\":%.3f}\n",
        static_cast<unsigned long long>(counts.sent), static_cast<unsigned long long>(counts.ok),
        static_cast<unsigned long long>(counts.errors), rate, probe_figures(udp_probe).c_str(),
        probe_figures(tcp_probe).c_str(), server.c_str(), cost.cpu_s, cost.run_s);
    std::fflush(stdout);
    if (!counts.first_error.empty())
        std::fprintf(stderr, "heartbeat-load: first error: %s\n", counts.first_error.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = hbload::parse_load_options(argc, argv);
    if (std::holds_alternative<hbload::HelpShown>(parsed)) return 0;
    if (const auto* error = std::get_if<hbload::UsageError>(&parsed)) {
        std::cerr << "heartbeat-load: " << error->message << "\n";
        return 2;
    }
    const auto& options = std::get<hbload::LoadOptions>(parsed);
    try {
        asio::io_context io(1);
        const auto dns = asio::ip::make_address(options.dns.host);
        const std::chrono::milliseconds bound(static_cast<long>(options.visibility_bound_s * 1000));
        hbload::VisibilityProbe udp_probe(hbload::ProbeTransport::udp, dns, options.dns.port, bound);
        hbload::VisibilityProbe tcp_probe(hbload::ProbeTransport::tcp, dns, options.dns.port, bound);
        hbload::HeartbeatSenders senders(io, options, {&udp_probe, &tcp_probe});
        const auto server_before = hbload::fetch_publish_delay(options.http);
        const double cpu_before = process_cpu_seconds();
        const auto wall_before = std::chrono::steady_clock::now();
        udp_probe.start();
        tcp_probe.start();
        bool finished = false;
        asio::co_spawn(io, senders.run(), [&](std::exception_ptr error) {
            if (error) std::rethrow_exception(error);
            finished = true;
            io.stop();
        });
        io.run();
        udp_probe.stop();
        tcp_probe.stop();
        const RunCost cost{process_cpu_seconds() - cpu_before,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count()};
        if (!finished) throw std::runtime_error("the run stopped early");
        const auto server_after = hbload::fetch_publish_delay(options.http);
        print_result(senders.counts(), udp_probe, tcp_probe, server_figure(server_before, server_after), cost);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "heartbeat-load: " << e.what() << "\n";
        return 1;
    }
}
