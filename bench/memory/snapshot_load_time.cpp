// Times loading a cache.json: decode (file -> SnapshotData, every check) and restore
// (SnapshotData -> Registry) apart, then load_snapshot() as dnsd calls it, on a fresh Registry.
// Usage: snapshot-load-time FILE [REPEAT [THREADS]]   (THREADS: decoding parsers, 0: per core)
// The file is left in place: load_snapshot() only moves a corrupt file aside, and a file this
// tool cannot decode is reported before load_snapshot() runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <sys/resource.h>

#include "registry/clock.hpp"
#include "registry/file_chunks.hpp"
#include "registry/registry.hpp"
#include "registry/snapshot_decode.hpp"
#include "registry/snapshot_file.hpp"
#include "registry/snapshot_restore.hpp"
#include "registry/snapshot_split_decode.hpp"

namespace {

using namespace dnsd::registry;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(usage.ru_utime) + s(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [REPEAT]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path file = argv[1];
    const int repeat = argc > 2 ? std::atoi(argv[2]) : 1;
    const unsigned threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 0;
    SystemClock clock;
    for (int round = 0; round < repeat; ++round) {
        {
            const auto start = std::chrono::steady_clock::now();
            const double cpu0 = cpu_seconds();
            SplitDecodeOptions options;
            options.threads = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
            SnapshotFileDecode file_decode = decode_snapshot_file(file, options);
            if (file_decode.read.status != ChunkedRead::Status::ok) {
                std::fprintf(stderr, "%s: cannot read (%s)\n", file.c_str(), file_decode.read.error.message().c_str());
                return 1;
            }
            SnapshotDecodeResult& decoded = file_decode.decoded;
            const double decode_s = seconds_since(start);
            const double decode_cpu = cpu_seconds() - cpu0;
            if (!decoded.ok()) {
                std::fprintf(stderr, "%s: %s\n", file.c_str(), decoded.error.c_str());
                return 1;
            }
            const auto restore_start = std::chrono::steady_clock::now();
            const double cpu1 = cpu_seconds();
            Registry registry(clock);
            const RestoreCounts counts = restore_snapshot(std::move(decoded.data), registry);
            std::printf("apart:         decode %.3f s (%.3f CPU-s, %u parts), restore %.3f s (%.3f CPU-s), %zu instances\n",
                        decode_s, decode_cpu, file_decode.parts, seconds_since(restore_start), cpu_seconds() - cpu1,
                        counts.instances);
        }
        {
            const auto start = std::chrono::steady_clock::now();
            const double cpu0 = cpu_seconds();
            Registry registry(clock);
            const LoadReport report = load_snapshot(file, registry, threads);
            std::printf("load_snapshot: %.3f s (%.3f CPU-s): %s\n", seconds_since(start),
                        cpu_seconds() - cpu0, report.summary().c_str());
            if (report.status != LoadStatus::loaded) return 1;
        }
    }
    return 0;
}
