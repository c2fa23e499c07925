#pragma once
// Debian's Knot DNS (knotd) as the reference server of the differential test: its own config
// in a temp dir, one zone, loopback only, one UDP worker. Never left behind: the destructor
// stops it (SIGTERM, then SIGKILL), and it dies with the test process (PDEATHSIG).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "temp_dir.hpp"

namespace dnsd::diff {

// Where knotd is: $KNOTD when set, else /usr/sbin/knotd, else nullopt.
std::optional<std::filesystem::path> find_knotd();

class KnotServer {
public:
    // Writes knot.conf and the zone file `zone_text` for `apex`, starts knotd on `port`
    // (127.0.0.1, UDP and TCP) and waits (at most 10 s) until it answers the apex SOA.
    // Check started(); start_failure() says why not, with knotd's log.
    KnotServer(const std::filesystem::path& knotd, const std::string& apex,
               const std::string& zone_text, std::uint16_t port);
    ~KnotServer();
    KnotServer(const KnotServer&) = delete;
    KnotServer& operator=(const KnotServer&) = delete;

    bool started() const { return start_failure_.empty(); }
    const std::string& start_failure() const { return start_failure_; }
    std::uint16_t port() const { return port_; }
    std::string log() const;

private:
    bool spawn(const std::filesystem::path& knotd, const std::filesystem::path& config);
    bool wait_serving(const std::string& apex, std::chrono::milliseconds bound);
    void stop();

    e2e::TempDir dir_;
    std::filesystem::path log_file_;
    std::uint16_t port_;
    pid_t pid_ = -1;
    std::string start_failure_;
};

}  // namespace dnsd::diff
