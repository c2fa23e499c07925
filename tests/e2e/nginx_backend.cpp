#include "nginx_backend.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dnsd::e2e {

NginxTestBackend::NginxTestBackend(std::string address, std::uint16_t port, std::string name)
    : name_(std::move(name)), port_(port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (::inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1) {
        failure_ = "not an IPv4 address: " + address;
        return;
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, 64) != 0) {
        failure_ = "cannot listen on " + address + ":" + std::to_string(port) + ": " + std::strerror(errno);
        if (fd >= 0) ::close(fd);
        return;
    }
    fd_ = fd;
    thread_ = std::thread([this] { serve(); });
}

NginxTestBackend::~NginxTestBackend() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
}

void NginxTestBackend::serve() {
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                 std::to_string(name_.size()) + "\r\nConnection: close\r\n\r\n" + name_;
    while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn < 0) continue;
        // Read the request head (bounded in bytes and time), then answer and close.
        std::string head;
        char buf[2048];
        for (int rounds = 0; rounds < 40 && head.find("\r\n\r\n") == std::string::npos && head.size() < 65536;
             ++rounds) {
            pollfd c{conn, POLLIN, 0};
            if (::poll(&c, 1, 50) <= 0) continue;
            const ssize_t n = ::read(conn, buf, sizeof buf);
            if (n <= 0) break;
            head.append(buf, static_cast<std::size_t>(n));
        }
        if (head.find("\r\n\r\n") != std::string::npos) {
            ++requests_;
            [[maybe_unused]] const ssize_t sent = ::send(conn, response.data(), response.size(), MSG_NOSIGNAL);
        }
        ::close(conn);
    }
}

}  // namespace dnsd::e2e
