#pragma once
// A tiny HTTP server on a loopback address for the nginx tests: every request is answered
// "200 <name>", so a test sees which backend nginx picked. One thread, one connection at a
// time (enough for sequential test requests), stopped and joined by the destructor.
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace dnsd::e2e {

class NginxTestBackend {
public:
    // Binds address:port (any 127.x.y.z on Linux, where all of 127/8 is local). Check ok().
    NginxTestBackend(std::string address, std::uint16_t port, std::string name);
    ~NginxTestBackend();
    NginxTestBackend(const NginxTestBackend&) = delete;
    NginxTestBackend& operator=(const NginxTestBackend&) = delete;

    bool ok() const { return fd_ >= 0; }
    const std::string& failure() const { return failure_; }
    const std::string& name() const { return name_; }
    std::uint16_t port() const { return port_; }
    std::uint64_t requests() const { return requests_.load(); }

private:
    void serve();

    std::string name_;
    std::uint16_t port_ = 0;
    int fd_ = -1;
    std::string failure_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> requests_{0};
    std::thread thread_;
};

}  // namespace dnsd::e2e
