#pragma once
// The command line of heartbeat-load. bench/dns/run.sh calls it with
//   --http HOST:PORT --dns HOST:PORT --rate N --duration S [--services K] [--connections C]
// so those names and meanings stay as they are.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace hbload {

struct Endpoint {
    std::string host;  // an IP literal (IPv6 without brackets)
    std::uint16_t port = 0;
};

struct LoadOptions {
    Endpoint http;
    Endpoint dns;
    double rate = 10'000;       // heartbeats per second, open loop
    double duration_s = 10;     // how long to send
    int services = 100;         // renewals are spread over this many services
    int connections = 8;        // keep-alive HTTP connections
    int instances_per_service = 10;  // the renewed pool: services x this many instances
    int sample_every = 100;     // every Nth heartbeat registers a new instance and is timed
    std::string domain = "svc";
    std::string service_prefix = "hbload";
    double visibility_bound_s = 2;  // a sample not visible by then counts as invisible
};

struct UsageError {
    std::string message;  // one sentence; the caller prints it and exits 2
};
struct HelpShown {};

std::variant<LoadOptions, UsageError, HelpShown> parse_load_options(int argc, char** argv);

}  // namespace hbload
