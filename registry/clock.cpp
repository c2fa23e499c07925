#include "registry/clock.hpp"

#include <chrono>

namespace dnsd::registry {

MonoMs SystemClock::mono_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

WallMs SystemClock::wall_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace dnsd::registry
