#pragma once
// When and where cache.json is written: within the debounce delay after a change (so a burst of
// heartbeats costs one write), later after a change that only moved leases (renewals: see
// renewal_delay below), again after a failure (full disk: retried, the previous file intact),
// and synchronously on shutdown.
//
// The control thread only takes a copy of the registry's content, and that in slices of
// capture_slice entries with its other work in between (registry/snapshot_capture.hpp: a
// whole copy of 500,000 instances stopped heartbeats for hundreds of milliseconds), into
// memory the writer thread has faulted in beforehand (SlicedCapture::storage_for); the writer
// thread assembles the copy, encodes it, writes it atomically and fsyncs it, so a large
// registry does not pause HTTP and gossip for seconds. One write at a time: a copy taken while
// a write is running waits, and a newer copy replaces a waiting one (only the latest matters).
// Every copy carries a sequence number, and a copy older than the file on disk is dropped, so
// the newest state always ends up on disk and never gets overwritten by an older one.
// A large registry is written less often than the delays say: snapshot_pacing.hpp keeps the
// work of writing it under a tenth of the time.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dnsd/metrics.hpp"
#include "dnsd/snapshot_pacing.hpp"
#include "registry/registry.hpp"
#include "registry/snapshot_capture.hpp"
#include "registry/snapshot_format.hpp"

namespace dnsd {

class SnapshotScheduler {
public:
    // `delay` debounces changes. Renewal-only changes wait `renewal_factor` times as long: a
    // lease survives a restart from its recorded expiry, so a snapshot missing the last few
    // seconds of renewals costs those seconds of lease at most, never an instance; and with
    // 100k instances renewing every 10 s the file would otherwise be rewritten every second.
    static constexpr int renewal_factor = 5;
    // Entries copied per turn of the control thread: a quarter of a millisecond or so
    // (registry-bytes). A heartbeat that arrives meanwhile waits for the slice before its change
    // is published, and a heartbeat should be in DNS within a millisecond; 1,024 entries took
    // about 2 ms, which the publish delay's p99 showed at 100,000 x 5.
    static constexpr std::size_t capture_slice = 256;

    SnapshotScheduler(boost::asio::io_context& io, registry::Registry& registry,
                      std::filesystem::path file, Metrics& metrics, std::chrono::milliseconds delay);
    ~SnapshotScheduler();
    SnapshotScheduler(const SnapshotScheduler&) = delete;
    SnapshotScheduler& operator=(const SnapshotScheduler&) = delete;

    // The registry changed: written within the delay. `leases_only`: only leases moved
    // (renewals), written within renewal_factor times the delay.
    void changed(bool leases_only = false);
    // Control thread: writes synchronously (after any write in flight); false (and logged) on
    // failure. Copies the writer thread has not started yet are dropped: this one is newer.
    bool write_now();
    void cancel();  // stop the timer for good (shutdown, before the final write_now)

private:
    struct Job {
        std::uint64_t seq = 0;
        registry::CaptureParts parts;
        std::size_t instances = 0;  // set by write()
        SnapshotPacing::Clock::time_point started{};  // when its capture began
    };
    void arm(std::chrono::milliseconds after);
    void submit();                        // control thread: ask the writer for a capture's storage
    void start_capture(std::vector<registry::SnapshotInstance> storage);  // control thread
    void capture_next_slice();            // control thread: go on; at the end, to the writer
    void run_writer();                    // writer thread
    std::error_code write(Job& job);      // any thread; serialised by write_mutex_
    // Control thread: metrics, log, and with `retry` another attempt after a failure.
    void report(std::error_code ec, std::size_t instances, bool retry);
    // Control thread: the writer is done with the copy whose capture began at `started`.
    void written(std::error_code ec, std::size_t instances, SnapshotPacing::Clock::time_point started);
    // The delay to arm for a write wanted `after` from now, paced by the cost of the last one.
    std::chrono::milliseconds paced(std::chrono::milliseconds after) const;

    boost::asio::io_context& io_;
    registry::Registry& registry_;
    std::filesystem::path file_;
    Metrics& metrics_;
    std::chrono::milliseconds delay_;
    boost::asio::steady_timer timer_;
    bool armed_ = false;
    std::chrono::steady_clock::time_point armed_until_{};
    bool failing_ = false;
    bool stopped_ = false;  // after cancel(): no timer is armed again
    std::uint64_t next_seq_ = 0;  // control thread
    bool preparing_ = false;  // control thread: the writer is making the next capture's storage
    std::unique_ptr<registry::SlicedCapture> capture_;  // control thread: the one under way
    SnapshotPacing::Clock::time_point capture_started_{};  // control thread: of capture_
    SnapshotPacing pacing_;                                // control thread
    bool in_flight_ = false;          // control thread: a copy is with the writer, not reported
    bool again_after_write_ = false;  // control thread: a change came while it was

    std::mutex write_mutex_;  // held for a whole encode + write: never two writes at once
    std::uint64_t written_seq_ = 0;  // under write_mutex_: the copy on disk (or newer failed)

    std::mutex queue_mutex_;
    std::condition_variable queue_cv_;
    std::optional<Job> pending_;  // under queue_mutex_
    std::optional<std::size_t> storage_wanted_;  // under queue_mutex_: for this many instances
    bool stopping_ = false;       // under queue_mutex_
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // watched by posted reports
    std::thread writer_;
};

}  // namespace dnsd
