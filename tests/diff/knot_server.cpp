#include "knot_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "dns_client.hpp"

namespace dnsd::diff {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Knot 3.2 syntax. The journal is off and the zone file is never written back, so knotd
// serves exactly the file the test wrote and leaves nothing outside the temp dir.
std::string knot_config(const std::filesystem::path& dir, const std::string& apex,
                        std::uint16_t port) {
    const std::string d = dir.string();
    return "server:\n"
           "    rundir: \"" + d + "/run\"\n"
           "    pidfile: \"" + d + "/run/knot.pid\"\n"
           "    listen: 127.0.0.1@" + std::to_string(port) + "\n"
           "    udp-workers: 1\n"
           "    tcp-workers: 1\n"
           "    background-workers: 1\n"
           "control:\n"
           "    listen: \"" + d + "/run/knot.sock\"\n"
           "database:\n"
           "    storage: \"" + d + "/db\"\n"
           "log:\n"
           "  - target: stderr\n"
           "    any: info\n"
           "zone:\n"
           "  - domain: " + apex + "\n"
           "    storage: \"" + d + "\"\n"
           "    file: \"zone.txt\"\n"
           "    journal-content: none\n"
           "    zonefile-sync: -1\n"
           "    zonefile-load: whole\n";
}

// The child's status within `bound`, or nullopt while it still runs.
std::optional<int> reap_within(pid_t pid, std::chrono::milliseconds bound) {
    const auto deadline = Clock::now() + bound;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return -1;  // not our child any more
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(10ms);
    }
}

}  // namespace

std::optional<std::filesystem::path> find_knotd() {
    if (const char* env = std::getenv("KNOTD"); env != nullptr && *env != '\0') {
        if (::access(env, X_OK) == 0) return std::filesystem::path(env);
        return std::nullopt;
    }
    const std::filesystem::path debian = "/usr/sbin/knotd";
    if (::access(debian.c_str(), X_OK) == 0) return debian;
    return std::nullopt;
}

KnotServer::KnotServer(const std::filesystem::path& knotd, const std::string& apex,
                       const std::string& zone_text, std::uint16_t port)
    : log_file_(dir_.path() / "knotd.log"), port_(port) {
    std::filesystem::create_directories(dir_.path() / "run");
    std::filesystem::create_directories(dir_.path() / "db");
    e2e::write_file(dir_.path() / "zone.txt", zone_text);
    const std::filesystem::path config = dir_.path() / "knot.conf";
    e2e::write_file(config, knot_config(dir_.path(), apex, port));
    if (!spawn(knotd, config)) return;
    if (!wait_serving(apex, 10s)) stop();
}

bool KnotServer::spawn(const std::filesystem::path& knotd, const std::filesystem::path& config) {
    auto started = e2e::spawn_logged({knotd.string(), "--config", config.string()}, log_file_);
    if (auto* why = std::get_if<std::string>(&started)) {
        start_failure_ = *why;
        return false;
    }
    pid_ = std::get<pid_t>(started);
    return true;
}

bool KnotServer::wait_serving(const std::string& apex, std::chrono::milliseconds bound) {
    const auto deadline = Clock::now() + bound;
    std::string last;
    while (Clock::now() < deadline) {
        if (auto status = reap_within(pid_, 0ms)) {
            pid_ = -1;
            start_failure_ = "knotd ended before serving (wait status " + std::to_string(*status) +
                             "); its log:\n" + log();
            return false;
        }
        e2e::DnsQuestion question(apex + ".", LDNS_RR_TYPE_SOA);
        question.timeout = 200ms;
        const e2e::DnsReply reply = e2e::dns_query(port_, question);
        // Knot answers SERVFAIL until the zone is loaded.
        if (reply.ok() && reply.rcode() == LDNS_RCODE_NOERROR && !reply.answer().empty()) return true;
        last = reply.ok() ? "rcode " + std::to_string(reply.rcode()) : reply.failure();
        std::this_thread::sleep_for(20ms);
    }
    start_failure_ = "knotd did not serve the zone within " + std::to_string(bound.count()) +
                     " ms (last: " + last + "); its log:\n" + log();
    return false;
}

void KnotServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!reap_within(pid_, 5s)) {
        ::kill(pid_, SIGKILL);
        (void)reap_within(pid_, 5s);
    }
    pid_ = -1;
}

std::string KnotServer::log() const { return e2e::read_file(log_file_); }

KnotServer::~KnotServer() { stop(); }

}  // namespace dnsd::diff
