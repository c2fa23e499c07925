#include "dnsd/thread_name.hpp"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <cstddef>

namespace dnsd {

void name_this_thread(std::string_view name) {
    std::array<char, 16> text{};  // 15 bytes and the terminating NUL
    const std::size_t n = std::min(name.size(), text.size() - 1);
    std::copy_n(name.begin(), n, text.begin());
    // Only a name of more than 15 bytes fails (ERANGE), and that was cut above.
    pthread_setname_np(pthread_self(), text.data());
}

}  // namespace dnsd
