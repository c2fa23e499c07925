#pragma once
// Debian's nginx (/usr/sbin/nginx) as a child process of a test: its own prefix, config, pid
// file and error log in a temporary directory, listening on 127.0.0.1 only, in the foreground
// (`daemon off`) so the test owns the master's pid and stops it (SIGQUIT, then SIGKILL).
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace dnsd::e2e {

class NginxProcess {
public:
    static constexpr const char* kBinary = "/usr/sbin/nginx";
    // Empty when nginx can be run; otherwise why not (the tests then fail with it).
    static std::string unavailable();

    // `http_block` goes inside `http { ... }` after the common settings (temp paths in the
    // prefix, logs); it must contain the `server` with `listen 127.0.0.1:<port()>`, where
    // "@PORT@" is replaced by port() and "@PREFIX@" by the prefix directory.
    // `pid_file`: where the master writes its pid (default: in the prefix), for a reload
    // command that must be known before nginx starts.
    explicit NginxProcess(const std::string& http_block, std::filesystem::path pid_file = {});
    ~NginxProcess();  // stop()
    NginxProcess(const NginxProcess&) = delete;
    NginxProcess& operator=(const NginxProcess&) = delete;

    // Started and accepting connections (within 10 s); otherwise failure() tells why.
    bool started() const { return failure_.empty(); }
    const std::string& failure() const { return failure_; }
    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    const std::filesystem::path& prefix() const { return dir_.path(); }
    std::string error_log() const;
    // Makes the master re-read its configuration (what --nginx-reload-cmd does in a test).
    std::string reload_command() const { return "kill -HUP " + std::to_string(pid_); }
    // Graceful stop (SIGQUIT), bounded wait, SIGKILL after. Idempotent.
    void stop();

private:
    std::vector<pid_t> workers() const;

    TempDir dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    std::string failure_;
};

}  // namespace dnsd::e2e
