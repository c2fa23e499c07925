#pragma once
// Port numbers for a dnsd under test. The kernel picks them (bind to port 0), so parallel test
// processes do not collide on a fixed range.
#include <cstdint>

namespace dnsd::e2e {

// A port that was free for both UDP and TCP on 127.0.0.1 a moment ago (dnsd's --dns binds both).
// Never returns the same number twice within one test process. Throws when none is found.
std::uint16_t pick_free_port();

}  // namespace dnsd::e2e
