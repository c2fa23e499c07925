#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dnsd::e2e {

std::variant<pid_t, std::string> spawn_logged(const std::vector<std::string>& argv_in,
                                              const std::filesystem::path& log_file) {
    // Everything the child needs is prepared before fork: after it, only exec-safe calls.
    std::vector<std::string> storage = argv_in;
    std::vector<char*> argv;
    for (auto& arg : storage) argv.push_back(arg.data());
    argv.push_back(nullptr);

    const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return "cannot create the log file " + log_file.string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
        ::dup2(log_fd, STDERR_FILENO);
        ::dup2(log_fd, STDOUT_FILENO);
        const int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    const int fork_errno = errno;
    ::close(log_fd);
    if (pid < 0) return std::string("fork failed: ") + std::strerror(fork_errno);
    return pid;
}

}  // namespace dnsd::e2e
