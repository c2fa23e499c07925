// Fills a Registry the way bench/memory/run.sh's cache.json does (SERVICES x PER instances,
// meta {"zone":"a"}, version 1.2.3, node "bench", leases of an hour) and prints the heap bytes
// it holds per instance (glibc mallinfo2: bytes in use, so malloc's own per-chunk overhead
// included), then how long the control thread spends on a snapshot capture.
//
//   registry-bytes [SERVICES [PER [--heartbeats]]]     default 20000 x 5
//
// --heartbeats registers through renew() (the HTTP path, with its change log) instead of
// restore_instance() (start-up from cache.json), and then renews every instance once.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bench/memory/bench_instance.hpp"
#include "registry/clock.hpp"
#include "registry/registry.hpp"
#include "registry/snapshot_capture.hpp"
#include "registry/snapshot_encode.hpp"

namespace dnsd {
// dnsd/snapshot_scheduler.hpp's capture_slice (this tool links the registry only).
constexpr std::size_t SnapshotSchedulerSlice = 256;
}  // namespace dnsd

namespace {

using namespace dnsd::registry;

// Bytes in malloc'd chunks plus large blocks malloc took straight from mmap (a big vector).
std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int services = argc > 1 ? std::atoi(argv[1]) : 20'000;
    const int per = argc > 2 ? std::atoi(argv[2]) : 5;
    const bool heartbeats = argc > 3 && std::string_view(argv[3]) == "--heartbeats";
    const double n = static_cast<double>(services) * per;

    std::printf("sizeof: InstanceSpec %zu, Instance %zu, HealthCheck %zu, HealthState %zu\n",
                sizeof(InstanceSpec), sizeof(Instance), sizeof(HealthCheck), sizeof(HealthState));
    ManualClock clock;
    const std::size_t before = heap_in_use();
    {
        Registry registry(clock);
        const auto t0 = std::chrono::steady_clock::now();
        for (int s = 0; s < services; ++s)
            for (int i = 0; i < per; ++i) {
                if (heartbeats) registry.renew(dnsd::bench::bench_instance(s, i, per));
                else registry.restore_instance(dnsd::bench::bench_instance(s, i, per), clock.wall_ms(), 3'600'000);
            }
        if (!heartbeats) registry.finish_restore();
        registry.take_changed();
        const double fill_ms = ms_since(t0);
        const std::size_t filled = heap_in_use();
        std::printf("%s %.0f instances in %.0f ms: %.0f heap bytes per instance\n",
                    heartbeats ? "renew()" : "restore_instance()", n, fill_ms,
                    static_cast<double>(filled - before) / n);
        if (heartbeats) {
            // A renewal past a quarter of the lease: the change log entry moves, the expiry
            // heap gets its new deadline.
            clock.advance_ms(1'000'000);
            for (int s = 0; s < services; ++s)
                for (int i = 0; i < per; ++i) registry.renew(dnsd::bench::bench_instance(s, i, per));
            std::printf("after one renewal each: %.0f heap bytes per instance\n",
                        static_cast<double>(heap_in_use() - before) / n);
        }
        const auto t1 = std::chrono::steady_clock::now();
        SnapshotData data = capture_snapshot(registry);
        std::printf("capture_snapshot: %.1f ms for %zu instances (control thread)\n", ms_since(t1),
                    data.instances.size());
        data = {};
        // What the snapshot scheduler does instead: slices, the control thread free in between.
        double longest_ms = 0, total_ms = 0;
        int slices = 0;
        SlicedCapture sliced(registry);
        for (bool done = false; !done; ++slices) {
            const auto t = std::chrono::steady_clock::now();
            done = sliced.step(dnsd::SnapshotSchedulerSlice);
            const double ms = ms_since(t);
            longest_ms = std::max(longest_ms, ms);
            total_ms += ms;
        }
        const auto t2 = std::chrono::steady_clock::now();
        CaptureParts parts = sliced.finish();
        const double finish_ms = ms_since(t2);
        const auto t3 = std::chrono::steady_clock::now();
        data = std::move(parts).assemble();
        std::printf("sliced capture: %d slices of %zu, longest %.2f ms, all %.1f ms, finish %.2f ms "
                    "(control thread); assemble %.1f ms (writer thread)\n",
                    slices, dnsd::SnapshotSchedulerSlice, longest_ms, total_ms, finish_ms, ms_since(t3));
    }
    return 0;
}
