#include "registry/snapshot_file.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "registry/atomic_file.hpp"
#include "registry/file_chunks.hpp"
#include "registry/set_aside.hpp"
#include "registry/snapshot_decode.hpp"
#include "registry/snapshot_split_decode.hpp"
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

std::string precise_seconds(std::int64_t ms) {
    const std::string thousandths = std::to_string(1000 + ms % 1000).substr(1);
    return std::to_string(ms / 1000) + "." + thousandths + " s";
}

std::int64_t ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
        .count();
}

// Decoding is most of a large start-up and splits well; beyond four parts the joining and
// the memory of the parts' lists weigh more than the parsers save.
unsigned default_decode_threads() {
    return std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
}

}  // namespace

std::filesystem::path snapshot_path(const std::filesystem::path& data_dir) {
    return data_dir / snapshot_file_name;
}

LoadReport load_snapshot(const std::filesystem::path& file, Registry& registry,
                         unsigned decode_threads) {
    const std::size_t leftovers = remove_leftover_temp_files(file);
    LoadReport report;
    SplitDecodeOptions options;
    options.threads = decode_threads > 0 ? decode_threads : default_decode_threads();
    options.read_chunk_size = read_chunk_size;
    const auto decode_start = std::chrono::steady_clock::now();
    SnapshotFileDecode decoded = decode_snapshot_file(file, options);
    const std::int64_t decode_ms = ms_since(decode_start);
    const ChunkedRead& read = decoded.read;
    if (read.status == ChunkedRead::Status::missing) {
        report.status = LoadStatus::missing;
    } else if (read.status == ChunkedRead::Status::unreadable) {
        report = refuse(file, "the file cannot be read (" + read.error.message() + ")",
                        registry.clock().wall_ms());
    } else if (!decoded.decoded.ok()) {
        report = refuse(file, decoded.decoded.error, registry.clock().wall_ms());
    } else {
        report.status = LoadStatus::loaded;
        const auto restore_start = std::chrono::steady_clock::now();
        report.restored = restore_snapshot(std::move(decoded.decoded.data), registry);
        report.restore_ms = ms_since(restore_start);
    }
    report.file = file;
    report.leftover_temp_files = leftovers;
    report.decode_ms = decode_ms;
    report.decode_threads = decoded.parts;
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
            out += "; decoded in " + precise_seconds(decode_ms) + " on " +
                   std::to_string(decode_threads) + (decode_threads == 1 ? " thread" : " threads") +
                   ", restored in " + precise_seconds(restore_ms);
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
