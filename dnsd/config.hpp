#pragma once
// dnsd's configuration: SPEC.md's options, from the command line and an optional --config file.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dnsd {

// A parsed ADDR:PORT ("127.0.0.1:8053", "[::1]:8053"). host is the literal address text.
struct HostPort {
    std::string host;
    std::uint16_t port = 0;
    std::string to_string() const;  // brackets around IPv6
};

struct Config {
    std::vector<HostPort> dns{{"127.0.0.1", 8053}};
    HostPort http{"127.0.0.1", 8054};
    std::string domain = "svc";
    std::filesystem::path data_dir = "./dnsd-data";
    std::string node_name;                 // default: host name
    std::string node_label;                // node_name made into a DNS label (its id in "dnsd")
    std::vector<std::string> join;         // HOST:PORT, host names allowed
    std::optional<HostPort> advertise;     // default: http
    std::int64_t lease_s = 30;
    std::int64_t max_ttl_s = 5;
    double gossip_interval_s = 1.0;
    unsigned threads = 0;                  // default: usable_cpu_count()
    std::optional<std::filesystem::path> zone_file;
    std::optional<std::filesystem::path> auth_token_file;
    std::optional<std::filesystem::path> gossip_key_file;
    // Self-preservation: a sweep that would expire more than this share of the live instances
    // at once is held (0 turns it off). Applies with --join only.
    std::int64_t self_preservation_percent = 15;
    std::string auth_token;                // read from auth_token_file at start
    std::string log_level = "info";
    // Snapshot debounce: cache.json is written at most this long after a change.
    std::int64_t snapshot_delay_ms = 1000;
    // The nginx file path: DIR/<service>.conf upstream blocks, and the command that makes nginx
    // read them (run through /bin/sh -c) at most this long after the first change.
    std::optional<std::filesystem::path> nginx_upstream_dir;
    std::optional<std::string> nginx_reload_cmd;
    std::int64_t nginx_reload_delay_ms = 1000;

    HostPort advertised() const { return advertise ? *advertise : http; }
};

// The CPUs this process may run on (its affinity mask, as `taskset` sets it), at least 1.
// The default of --threads: under `taskset -c 0` one worker per core of the machine would make
// several workers share the one allowed core and spend their time switching between them.
unsigned usable_cpu_count();

}  // namespace dnsd
