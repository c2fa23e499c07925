#include "dnsd/config.hpp"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace dnsd {

std::string HostPort::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

unsigned usable_cpu_count() {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    // The mask of this thread, which at start-up is the process's (and what taskset gave it).
    if (sched_getaffinity(0, sizeof mask, &mask) == 0) {
        const int allowed = CPU_COUNT(&mask);
        if (allowed > 0) return static_cast<unsigned>(allowed);
    }
    // More CPUs than a cpu_set_t holds (over 1024), or no answer: the cores of the machine.
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace dnsd
