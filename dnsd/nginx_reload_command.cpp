#include "dnsd/nginx_reload_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dnsd/thread_name.hpp"

extern char** environ;

namespace dnsd {

namespace {

constexpr std::size_t kMaxOutput = 4096;  // enough for nginx's error lines, bounded for the log

struct Fd {
    int fd = -1;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

// Reads what is there without blocking; false at end of file or error.
bool drain(int fd, std::string& output) {
    char buf[1024];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            const std::size_t room = kMaxOutput - std::min(kMaxOutput, output.size());
            output.append(buf, std::min(room, static_cast<std::size_t>(n)));
            continue;
        }
        if (n < 0 && (errno == EINTR)) continue;
        return n < 0 && errno == EAGAIN;
    }
}

void record_status(CommandResult& r, int status) {
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
}

}  // namespace

std::string CommandResult::describe() const {
    if (!started) return "not started: " + error;
    if (timed_out) return "killed after its time limit";
    if (signal != 0) return "killed by signal " + std::to_string(signal);
    return "exit status " + std::to_string(exit_code);
}

CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds time_limit,
                                const std::atomic<bool>* stop) {
    CommandResult r;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        r.error = std::string("pipe: ") + std::strerror(errno);
        return r;
    }
    Fd read_end{fds[0]}, write_end{fds[1]};
    ::fcntl(read_end.fd, F_SETFL, O_NONBLOCK);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, write_end.fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, write_end.fd, STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so that a command past its time limit is killed with its children.
    // Default signal dispositions and an empty mask: dnsd blocks SIGTERM/SIGHUP for Asio.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::string sh = "/bin/sh", dash_c = "-c", cmd = command;
    char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    write_end.reset();  // EOF for us once the command (and its children) closed theirs
    if (rc != 0) {
        r.error = std::string("/bin/sh: ") + std::strerror(rc);
        return r;
    }
    r.started = true;

    const auto deadline = std::chrono::steady_clock::now() + time_limit;
    bool open = true;
    while (true) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            record_status(r, status);
            if (open) drain(read_end.fd, r.output);
            break;
        }
        const bool stopping = stop && stop->load();
        if (stopping || std::chrono::steady_clock::now() >= deadline) {
            r.timed_out = !stopping;
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            record_status(r, status);
            break;
        }
        // Wake on output or every 50 ms to look at the child (a daemon it left behind may hold
        // the pipe open after the command itself ended, so EOF alone cannot be waited for).
        pollfd p{read_end.fd, POLLIN, 0};
        const int ready = ::poll(&p, open ? 1 : 0, 50);
        if (ready > 0 && open) open = drain(read_end.fd, r.output);
    }
    return r;
}

ShellCommandRunner::ShellCommandRunner(std::chrono::milliseconds time_limit) : time_limit_(time_limit) {}

ShellCommandRunner::~ShellCommandRunner() { stop(); }

void ShellCommandRunner::run(const std::string& command, std::function<void(CommandResult)> done) {
    // The previous command has ended (ReloadSchedule never overlaps runs): this only reaps the thread.
    if (thread_.joinable()) thread_.join();
    if (stopping_) return;
    thread_ = std::thread([this, command, done = std::move(done)] {
        name_this_thread("dnsd-nginx");
        done(run_shell_command(command, time_limit_, &stopping_));
    });
}

void ShellCommandRunner::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace dnsd
