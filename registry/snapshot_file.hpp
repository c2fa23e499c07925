#pragma once
// cache.json: the registry survives a restart. The node loads it once at start, before serving,
// and writes it after changes (debounced) and on shutdown.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "registry/file_ops.hpp"
#include "registry/registry.hpp"
#include "registry/snapshot_restore.hpp"

namespace dnsd::registry {

inline constexpr std::string_view snapshot_file_name = "cache.json";

// <data_dir>/cache.json
std::filesystem::path snapshot_path(const std::filesystem::path& data_dir);

enum class LoadStatus {
    loaded,   // the registry now holds the snapshot, aged by the downtime
    missing,  // no file: a first start; the registry is untouched
    corrupt,  // unusable file, set aside; the registry is untouched
};

struct LoadReport {
    LoadStatus status = LoadStatus::missing;
    std::filesystem::path file;           // the snapshot that was looked for
    RestoreCounts restored;               // loaded only
    std::string reason;                   // corrupt: what is wrong, naming the file and entry
    std::filesystem::path moved_to;       // corrupt: where the file is now ("<file>.corrupt-<ms>")
    std::error_code move_error;           // corrupt: why it could not be moved (it then stays)
    std::size_t leftover_temp_files = 0;  // temporary files of a crashed writer, removed
    // How long it took (steady clock, for the log): decoding and checking the file, on how many
    // threads at once, and restoring it into the registry.
    std::int64_t decode_ms = 0;
    unsigned decode_threads = 1;
    std::int64_t restore_ms = 0;

    // One line for the log, saying what happened and what dnsd does about it.
    std::string summary() const;
};

// For a registry that holds nothing yet. A file that cannot be read, is not JSON, has another
// format version or any invalid entry is refused as a whole (everything is checked before the
// first entry is restored) and renamed aside, never deleted, so that the next snapshot does not
// overwrite what a person may want to inspect. A large file is decoded in parts on up to
// `decode_threads` threads (0: one per core, at most 4; see snapshot_split_decode.hpp).
LoadReport load_snapshot(const std::filesystem::path& file, Registry& registry,
                         unsigned decode_threads = 0);

// encode_snapshot + write_file_atomically. Both halves are public for a caller that wants to
// encode on the control thread and leave the (fsync-bound) writing to another thread.
std::error_code write_snapshot(const std::filesystem::path& file, const Registry& registry,
                               FileOps& ops = posix_file_ops());

}  // namespace dnsd::registry
