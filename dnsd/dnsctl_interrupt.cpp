#include "dnsd/dnsctl_interrupt.hpp"

#include <signal.h>

#include <algorithm>
#include <thread>

namespace dnsd::ctl {

namespace {

volatile sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) { g_stop = 1; }

}  // namespace

void install_stop_signals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

bool stop_requested() { return g_stop != 0; }

bool sleep_unless_stopped(std::chrono::milliseconds duration) {
    // Short slices instead of a self-pipe: a stop is noticed within 50 ms, which is plenty here.
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stop_requested()) {
        const auto left = until - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return true;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
    }
    return false;
}

}  // namespace dnsd::ctl
