#include "nginx_process.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "free_port.hpp"

namespace dnsd::e2e {

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

bool accepts_connections(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

std::string NginxProcess::unavailable() {
    std::string why;
    if (::access(kBinary, X_OK) != 0) {
        why = kBinary;
        why += " is not installed: the nginx tests need Debian's nginx "
               "(scripts/install-deps.sh --test installs it: apt-get install nginx)";
    }
    return why;
}

NginxProcess::NginxProcess(const std::string& http_block, std::filesystem::path pid_file) {
    failure_ = unavailable();
    if (!failure_.empty()) return;
    port_ = pick_free_port();
    const std::string prefix = dir_.path().string();
    if (pid_file.empty()) pid_file = dir_.path() / "nginx.pid";
    std::filesystem::create_directories(dir_.path() / "tmp");
    std::ofstream conf(dir_.path() / "nginx.conf");
    // Workers drop to "nobody" when the master runs as root, and could then not enter the
    // private temporary directory: as root they stay root (a test on loopback only).
    if (::geteuid() == 0) conf << "user root;\n";
    conf << "daemon off;\nmaster_process on;\nworker_processes 1;\n"
         << "pid " << pid_file.string() << ";\n"
         << "error_log " << prefix << "/error.log info;\n"
         << "events { worker_connections 256; }\n"
         << "http {\n"
         << "    access_log " << prefix << "/access.log;\n"
         << "    client_body_temp_path " << prefix << "/tmp/body;\n"
         << "    proxy_temp_path " << prefix << "/tmp/proxy;\n"
         << "    fastcgi_temp_path " << prefix << "/tmp/fastcgi;\n"
         << "    uwsgi_temp_path " << prefix << "/tmp/uwsgi;\n"
         << "    scgi_temp_path " << prefix << "/tmp/scgi;\n"
         << replace_all(replace_all(http_block, "@PORT@", std::to_string(port_)), "@PREFIX@", prefix)
         << "\n}\n";
    conf.close();
    auto spawned = spawn_logged({kBinary, "-p", prefix + "/", "-c", prefix + "/nginx.conf", "-e",
                                 prefix + "/error.log"},
                                dir_.path() / "stdout.log");
    if (auto* why = std::get_if<std::string>(&spawned)) {
        failure_ = "cannot start nginx: " + *why;
        return;
    }
    pid_ = std::get<pid_t>(spawned);
    const auto bound = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < bound) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            failure_ = "nginx exited at start: " + error_log();
            return;
        }
        if (accepts_connections(port_)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    failure_ = "nginx did not accept connections on 127.0.0.1:" + std::to_string(port_) +
               " within 10 s: " + error_log();
    stop();
}

NginxProcess::~NginxProcess() { stop(); }

std::string NginxProcess::error_log() const {
    std::string text = read_file(dir_.path() / "error.log") + read_file(dir_.path() / "stdout.log");
    return text.size() > 8000 ? text.substr(text.size() - 8000) : text;
}

void NginxProcess::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGQUIT);  // graceful: the workers finish their requests
    const auto bound = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (std::chrono::steady_clock::now() < bound) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // The workers would outlive a killed master: they go first, by their pids.
    for (pid_t worker : workers()) ::kill(worker, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::vector<pid_t> NginxProcess::workers() const {
    std::vector<pid_t> out;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        std::getline(stat, line);
        // "pid (comm) state ppid ...": comm may hold spaces, so count from the last ')'.
        const auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 1));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid == pid_) out.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return out;
}

}  // namespace dnsd::e2e
