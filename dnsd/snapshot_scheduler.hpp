#pragma once
// When cache.json is written: within the debounce delay after a change (so a burst of
// heartbeats costs one write), again after a failure (full disk: retried, the previous file
// intact), and synchronously on shutdown.
#include <chrono>
#include <filesystem>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dnsd/metrics.hpp"
#include "registry/registry.hpp"

namespace dnsd {

class SnapshotScheduler {
public:
    SnapshotScheduler(boost::asio::io_context& io, const registry::Registry& registry,
                      std::filesystem::path file, Metrics& metrics, std::chrono::milliseconds delay);

    void changed();     // the registry (or a lease) changed: write within the delay
    bool write_now();   // write synchronously; false (and logged) on failure
    void cancel();      // stop the timer (shutdown, after the final write_now)

private:
    void arm(std::chrono::milliseconds after);

    const registry::Registry& registry_;
    std::filesystem::path file_;
    Metrics& metrics_;
    std::chrono::milliseconds delay_;
    boost::asio::steady_timer timer_;
    bool armed_ = false;
    bool failing_ = false;
};

}  // namespace dnsd
