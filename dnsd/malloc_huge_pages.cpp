#include "dnsd/malloc_huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "dnsd/thread_name.hpp"

namespace dnsd {

namespace {
constexpr const char* tunables = "GLIBC_TUNABLES";
constexpr std::string_view huge_pages_tunable = "glibc.malloc.hugetlb";
// Set across the exec: the caller's GLIBC_TUNABLES ("=" + value), or "-" when it had none.
constexpr const char* saved_tunables = "DNSD_SAVED_GLIBC_TUNABLES";

std::string_view env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// Back in the new image: the caller's environment again, for the programs dnsd starts.
void restore_environment() {
    const std::string_view saved = env(saved_tunables);
    if (saved == "-") unsetenv(tunables);
    else if (saved.starts_with('=')) setenv(tunables, std::string(saved.substr(1)).c_str(), 1);
    unsetenv(saved_tunables);
}
}  // namespace

void exec_with_malloc_huge_pages(char** argv) {
    if (std::getenv(saved_tunables) != nullptr) {
        restore_environment();
        // The exec through /proc/self/exe named the process "exe" (the kernel takes the name
        // from the path run): give it back the name it was started under, for ps, pgrep, top.
        const std::string_view self = argv[0] ? argv[0] : "dnsd";
        name_this_thread(self.substr(self.find_last_of('/') + 1));
        return;
    }
    const std::string_view current = env(tunables);
    if (current.find(huge_pages_tunable) != std::string_view::npos) return;
    if (env("DNSD_MALLOC_HUGE_PAGES") == "0") return;
    if (env("LD_PRELOAD").find("vgpreload") != std::string_view::npos) return;  // valgrind

    const char* had = std::getenv(tunables);
    const std::string saved = had ? "=" + std::string(had) : "-";
    std::string wanted(current);
    if (!wanted.empty()) wanted.push_back(':');
    wanted.append(huge_pages_tunable).append("=1");
    if (setenv(saved_tunables, saved.c_str(), 1) != 0 || setenv(tunables, wanted.c_str(), 1) != 0) return;
    execv("/proc/self/exe", argv);
    // No /proc, or the binary is gone: run as we are, with the environment as it was.
    restore_environment();
}

}  // namespace dnsd
