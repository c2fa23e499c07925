#pragma once
// Names the calling thread ("dnsd-dns0", "dnsd-snapshot", ...), as `top -H`, `ps -L` and
// /proc/PID/task/*/comm show it: an operator (or bench/dns) can tell the DNS workers' CPU
// from the control thread's. The kernel keeps 15 bytes; a longer name is cut.
#include <string_view>

namespace dnsd {

void name_this_thread(std::string_view name);

}  // namespace dnsd
