#pragma once
// The real dnsd binary (DNSD_BINARY) as a child process. No process is ever left behind:
// the destructor kills and reaps it, and the child dies with the test process (PDEATHSIG, which
// fires when the forking *thread* ends: create DnsdProcess objects on the test's main thread).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace dnsd::e2e {

struct DnsdOptions {
    std::optional<std::filesystem::path> data_dir;  // nullopt: a fresh temp dir, removed after
    std::string node_name = "e2e-node";
    std::optional<int> lease_s;
    std::optional<int> max_ttl_s;
    std::optional<std::filesystem::path> auth_token_file;
    std::string log_level = "debug";
    // DNS workers: two cores are shared by the whole suite, so one is plenty; nullopt leaves
    // --threads out, for the tests of its default.
    std::optional<int> threads = 1;
    std::vector<std::string> extra_args;
};

// How a child ended: exited with a code, or killed by a signal.
struct ExitStatus {
    bool exited = false;
    int code = -1;    // when exited
    int signal = 0;   // when killed by a signal
    bool timed_out = false;  // it did not end within the bound (it was then SIGKILLed)
    std::string describe() const;
};

class DnsdProcess {
public:
    // Starts dnsd with fresh ports and waits (at most 10 s) until GET /healthz answers 200.
    // Check started(); on failure start_failure() tells why, with dnsd's stderr.
    explicit DnsdProcess(DnsdOptions options = {});
    // Starts the binary with exactly these arguments and does not wait for health: for
    // bad-usage tests, which then call wait_exit().
    static std::unique_ptr<DnsdProcess> spawn_raw(const std::vector<std::string>& args);
    ~DnsdProcess();
    DnsdProcess(const DnsdProcess&) = delete;
    DnsdProcess& operator=(const DnsdProcess&) = delete;

    bool started() const { return start_failure_.empty(); }
    const std::string& start_failure() const { return start_failure_; }
    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }

    std::uint16_t dns_port() const { return dns_port_; }
    std::uint16_t http_port() const { return http_port_; }
    const std::filesystem::path& data_dir() const { return data_dir_; }
    const DnsdOptions& options() const { return options_; }

    // SIGTERM, then waits (bounded, 10 s; SIGKILL after) for the exit.
    ExitStatus terminate();
    // Sends a signal (e.g. SIGHUP) to the running child; false when it is not running.
    bool send_signal(int signal_number);
    // SIGKILL and reap: a crash, as far as dnsd can tell.
    void kill9();
    // Waits (bounded) for the child to end on its own.
    ExitStatus wait_exit(std::chrono::milliseconds bound = std::chrono::milliseconds(10000));

    std::string log() const;  // dnsd's stderr and stdout so far

private:
    struct Unstarted {};
    explicit DnsdProcess(Unstarted) {}
    bool spawn(const std::vector<std::string>& args);
    bool wait_healthy(std::chrono::milliseconds bound);

    DnsdOptions options_;
    std::unique_ptr<TempDir> own_dir_;   // data dir (when not given) and the log file
    std::filesystem::path data_dir_;
    std::filesystem::path log_file_;
    std::uint16_t dns_port_ = 0;
    std::uint16_t http_port_ = 0;
    pid_t pid_ = -1;
    std::string start_failure_;
};

}  // namespace dnsd::e2e
