#include "registry/set_aside.hpp"

#include <cerrno>
#include <cstdio>
#include <string>

#include <fcntl.h>

namespace dnsd::registry {

namespace {

// A rename that fails with EEXIST instead of replacing the target. renameat2 does it atomically;
// on file systems without RENAME_NOREPLACE (EINVAL) a check before a plain rename has to do.
std::error_code rename_no_replace(const std::filesystem::path& from,
                                  const std::filesystem::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return {};
    if (errno != EINVAL && errno != ENOSYS) return {errno, std::generic_category()};
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(to, ec)))
        return std::make_error_code(std::errc::file_exists);
    std::filesystem::rename(from, to, ec);
    return ec;
}

}  // namespace

SetAsideResult set_aside(const std::filesystem::path& file, WallMs wall_ms) {
    // Far more than any real directory holds for one millisecond; the bound only stops a loop.
    constexpr int max_suffix = 10'000;
    const std::string base = file.string() + ".corrupt-" + std::to_string(wall_ms);
    SetAsideResult result;
    for (int suffix = 0; suffix <= max_suffix; ++suffix) {
        const std::filesystem::path target =
            suffix == 0 ? base : base + "-" + std::to_string(suffix);
        result.error = rename_no_replace(file, target);
        if (!result.error) {
            result.moved_to = target;
            return result;
        }
        if (result.error != std::errc::file_exists) return result;
    }
    return result;
}

}  // namespace dnsd::registry
