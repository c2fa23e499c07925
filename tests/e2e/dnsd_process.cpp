#include "dnsd_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <thread>

#include <gtest/gtest.h>

#include "child_process.hpp"
#include "free_port.hpp"
#include "http_client.hpp"

#ifndef DNSD_BINARY
#error "DNSD_BINARY must name the dnsd executable under test"
#endif

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

ExitStatus decode(int status) {
    ExitStatus result;
    if (WIFEXITED(status)) {
        result.exited = true;
        result.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    return result;
}

// Polls waitpid until the child ends or `bound` passes; reaps it when it ends.
std::optional<ExitStatus> reap_within(pid_t pid, std::chrono::milliseconds bound) {
    const auto deadline = Clock::now() + bound;
    for (int round = 0; round < 100000; ++round) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return decode(status);
        if (done < 0 && errno != EINTR) return ExitStatus{};  // not our child any more
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
}

}  // namespace

std::string ExitStatus::describe() const {
    if (timed_out) return "still running at the deadline (killed)";
    if (exited) return "exit code " + std::to_string(code);
    if (signal != 0) return std::string("killed by signal ") + strsignal(signal);
    return "unknown end";
}

DnsdProcess::DnsdProcess(DnsdOptions options) : options_(std::move(options)) {
    own_dir_ = std::make_unique<TempDir>();
    data_dir_ = options_.data_dir ? *options_.data_dir : own_dir_->path() / "data";
    log_file_ = own_dir_->path() / "dnsd.log";
    std::error_code ignored;  // a missing dir shows up below as a start failure with dnsd's reason
    std::filesystem::create_directories(data_dir_, ignored);
    dns_port_ = pick_free_port();
    http_port_ = pick_free_port();

    std::vector<std::string> args = {
        "--dns", "127.0.0.1:" + std::to_string(dns_port_),
        "--http", "127.0.0.1:" + std::to_string(http_port_),
        "--data-dir", data_dir_.string(),
        "--node-name", options_.node_name,
        "--log-level", options_.log_level,
    };
    if (options_.threads) args.insert(args.end(), {"--threads", std::to_string(*options_.threads)});
    if (options_.lease_s) args.insert(args.end(), {"--lease", std::to_string(*options_.lease_s)});
    if (options_.max_ttl_s) {
        args.insert(args.end(), {"--max-ttl", std::to_string(*options_.max_ttl_s)});
    }
    if (options_.auth_token_file) {
        args.insert(args.end(), {"--auth-token-file", options_.auth_token_file->string()});
    }
    args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());

    if (!spawn(args)) return;
    if (!wait_healthy(10s)) {
        kill9();
        start_failure_ += "\n--- dnsd log ---\n" + log();
    }
}

std::unique_ptr<DnsdProcess> DnsdProcess::spawn_raw(const std::vector<std::string>& args) {
    std::unique_ptr<DnsdProcess> process(new DnsdProcess(Unstarted{}));
    process->own_dir_ = std::make_unique<TempDir>();
    process->log_file_ = process->own_dir_->path() / "dnsd.log";
    process->spawn(args);
    return process;
}

bool DnsdProcess::spawn(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {DNSD_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto started = spawn_logged(argv, log_file_);
    if (auto* why = std::get_if<std::string>(&started)) {
        start_failure_ = *why;
        return false;
    }
    pid_ = std::get<pid_t>(started);
    return true;
}

bool DnsdProcess::wait_healthy(std::chrono::milliseconds bound) {
    const auto deadline = Clock::now() + bound;
    std::string last;
    for (int round = 0; round < 1000 && Clock::now() < deadline; ++round) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            start_failure_ = "dnsd ended before it was healthy: " + decode(status).describe();
            return false;
        }
        const HttpResponse response = http_get(http_port_, "/healthz", 1000ms);
        if (response.status == 200) return true;
        last = response.status == 0 ? response.failure : "status " + std::to_string(response.status);
        std::this_thread::sleep_for(20ms);
    }
    start_failure_ = "GET /healthz did not answer 200 within " + std::to_string(bound.count()) +
                     " ms (last: " + last + ")";
    return false;
}

ExitStatus DnsdProcess::terminate() {
    if (pid_ <= 0) return ExitStatus{};
    ::kill(pid_, SIGTERM);
    return wait_exit(10s);
}

ExitStatus DnsdProcess::wait_exit(std::chrono::milliseconds bound) {
    if (pid_ <= 0) return ExitStatus{};
    if (auto status = reap_within(pid_, bound)) {
        pid_ = -1;
        return *status;
    }
    kill9();
    ExitStatus status;
    status.timed_out = true;
    return status;
}

bool DnsdProcess::send_signal(int signal_number) {
    return pid_ > 0 && ::kill(pid_, signal_number) == 0;
}

void DnsdProcess::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    // SIGKILL cannot be ignored; the bound only guards against a stuck kernel.
    (void)reap_within(pid_, 5s);
    pid_ = -1;
}

std::string DnsdProcess::log() const { return read_file(log_file_); }

DnsdProcess::~DnsdProcess() {
    kill9();
    if (::testing::Test::HasFailure() && !log_file_.empty()) {
        std::cerr << "--- dnsd log (" << log_file_.filename().string() << ") ---\n"
                  << log() << "--- end of dnsd log ---\n";
    }
}

}  // namespace dnsd::e2e
