#pragma once
// Running --nginx-reload-cmd: `/bin/sh -c CMD` started with posix_spawn and waited for on a
// thread of its own, so a slow or hanging command never blocks the control thread (DNS answers,
// heartbeats and gossip go on while nginx reloads).
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>

namespace dnsd {

struct CommandResult {
    bool started = false;      // false: /bin/sh could not be started (error says why)
    int exit_code = -1;        // when it exited
    int signal = 0;            // when a signal ended it
    bool timed_out = false;    // killed after the time limit
    std::string output;        // stdout and stderr, the first few KiB
    std::string error;         // why it could not be started

    bool ok() const { return started && signal == 0 && !timed_out && exit_code == 0; }
    // "exit status 1", "killed by signal 9", "not started: ...", "timed out after 30 s".
    std::string describe() const;
};

// Calls done(result) from any thread once the command ended. The reloader posts it back.
using CommandRunner =
    std::function<void(const std::string& command, std::function<void(CommandResult)> done)>;

// One command at a time on one thread; the caller guarantees no overlap (ReloadSchedule).
class ShellCommandRunner {
public:
    explicit ShellCommandRunner(std::chrono::milliseconds time_limit = std::chrono::seconds(30));
    ~ShellCommandRunner();  // stop()
    ShellCommandRunner(const ShellCommandRunner&) = delete;
    ShellCommandRunner& operator=(const ShellCommandRunner&) = delete;

    void run(const std::string& command, std::function<void(CommandResult)> done);
    // Kills a command still running (its whole process group) and joins the thread.
    void stop();

private:
    CommandResult execute(const std::string& command);

    std::chrono::milliseconds time_limit_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

// The same, synchronously: for tests and for the thread above.
CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds time_limit,
                                const std::atomic<bool>* stop = nullptr);

}  // namespace dnsd
