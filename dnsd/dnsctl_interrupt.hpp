#pragma once
// SIGTERM and SIGINT as a request to stop: loops (heartbeat, watch) look at the flag between
// steps, and waits wake up within a few tens of milliseconds of the signal.
#include <chrono>

namespace dnsd::ctl {

void install_stop_signals();
bool stop_requested();
// Waits `duration`; returns false as soon as a stop is requested.
bool sleep_unless_stopped(std::chrono::milliseconds duration);

}  // namespace dnsd::ctl
