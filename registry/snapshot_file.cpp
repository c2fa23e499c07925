#include "registry/snapshot_file.hpp"

#include <utility>

#include "registry/atomic_file.hpp"
#include "registry/file_chunks.hpp"
#include "registry/set_aside.hpp"
#include "registry/snapshot_decode.hpp"
#include "registry/snapshot_encode.hpp"

namespace dnsd::registry {

namespace {

// Large enough that the parser, not the system calls, sets the pace.
constexpr std::size_t read_chunk_size = std::size_t{1} << 20;

LoadReport refuse(const std::filesystem::path& file, const std::string& error, WallMs now) {
    LoadReport report;
    report.status = LoadStatus::corrupt;
    report.reason = file.string() + ": " + error;
    SetAsideResult aside = set_aside(file, now);
    report.moved_to = std::move(aside.moved_to);
    report.move_error = aside.error;
    return report;
}

std::string seconds(std::int64_t ms) {
    return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

}  // namespace

std::filesystem::path snapshot_path(const std::filesystem::path& data_dir) {
    return data_dir / snapshot_file_name;
}

LoadReport load_snapshot(const std::filesystem::path& file, Registry& registry) {
    const std::size_t leftovers = remove_leftover_temp_files(file);
    LoadReport report;
    SnapshotDecoder decoder;
    const ChunkedRead read = read_in_chunks(
        file, read_chunk_size, [&](std::string_view piece) { return decoder.write(piece); });
    if (read.status == ChunkedRead::Status::missing) {
        report.status = LoadStatus::missing;
    } else if (read.status == ChunkedRead::Status::unreadable) {
        report = refuse(file, "the file cannot be read (" + read.error.message() + ")",
                        registry.clock().wall_ms());
    } else {
        SnapshotDecodeResult decoded = decoder.finish();
        if (!decoded.ok()) {
            report = refuse(file, decoded.error, registry.clock().wall_ms());
        } else {
            report.status = LoadStatus::loaded;
            report.restored = restore_snapshot(std::move(decoded.data), registry);
        }
    }
    report.file = file;
    report.leftover_temp_files = leftovers;
    return report;
}

std::string LoadReport::summary() const {
    std::string out;
    switch (status) {
        case LoadStatus::loaded:
            out = "restored " + std::to_string(restored.instances) + " instances, " +
                  std::to_string(restored.tombstones) + " tombstones and " +
                  std::to_string(restored.known_services) + " services without instances from " +
                  file.string() + "; dnsd was down " + seconds(restored.downtime_ms);
            if (restored.expired_while_down > 0)
                out += "; instances whose lease ran out meanwhile, not restored: " +
                       std::to_string(restored.expired_while_down);
            break;
        case LoadStatus::missing:
            out = "no registry snapshot at " + file.string() +
                  " yet: starting with an empty registry";
            break;
        case LoadStatus::corrupt:
            out = reason;
            if (move_error)
                out += "; it could not be moved aside (" + move_error.message() +
                       ") and the next snapshot will replace it";
            else
                out += "; it was moved to " + moved_to.string();
            out += "; starting with an empty registry";
            break;
    }
    if (leftover_temp_files > 0)
        out += " (removed " + std::to_string(leftover_temp_files) +
               " temporary files left by an interrupted write)";
    return out;
}

std::error_code write_snapshot(const std::filesystem::path& file, const Registry& registry,
                               FileOps& ops) {
    return write_file_atomically(file, encode_snapshot(registry), ops);
}

}  // namespace dnsd::registry
