#pragma once
// Moving a file that cannot be used out of the way without losing it: a person may want to see
// what was wrong, or recover entries by hand.
#include <filesystem>
#include <system_error>

#include "registry/clock.hpp"

namespace dnsd::registry {

struct SetAsideResult {
    std::filesystem::path moved_to;  // empty if the file could not be moved
    std::error_code error;
};

// Renames `file` to "<file>.corrupt-<wall_ms>" in the same directory, or, if that name is
// taken, to "<file>.corrupt-<wall_ms>-1", "-2", ...: an earlier set-aside file is never replaced.
SetAsideResult set_aside(const std::filesystem::path& file, WallMs wall_ms);

}  // namespace dnsd::registry
