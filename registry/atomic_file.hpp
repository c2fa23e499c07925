#pragma once
// Replacing a file so that a reader (or a restart after a crash or power cut) sees either the
// whole old content or the whole new one, never a mix or an empty file.
#include <cstddef>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "registry/file_ops.hpp"

namespace dnsd::registry {

// Writes `content` to a new temporary file beside `file` (same directory, so the rename cannot
// cross file systems), fsyncs it, renames it over `file` and fsyncs the directory. Creates the
// directory if missing. On a failure before the rename, the temporary file is removed and the
// previous `file` is left as it was. A failure of the final directory fsync is reported too,
// although the new content is then already in place (it may just not survive a power cut).
std::error_code write_file_atomically(const std::filesystem::path& file, std::string_view content,
                                      FileOps& ops = posix_file_ops());

// Temporary files a crashed writer left beside `file` (they can be as large as the file).
// Call only while no write to `file` is in flight, e.g. at start; returns how many were removed.
std::size_t remove_leftover_temp_files(const std::filesystem::path& file);

}  // namespace dnsd::registry
