#include "dnsd/snapshot_scheduler.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "dnsd/thread_name.hpp"
#include "registry/atomic_file.hpp"
#include "registry/snapshot_encode.hpp"

namespace dnsd {

namespace {
constexpr std::chrono::milliseconds kRetryAfterFailure{1000};
}

SnapshotScheduler::SnapshotScheduler(boost::asio::io_context& io, registry::Registry& registry,
                                     std::filesystem::path file, Metrics& metrics,
                                     std::chrono::milliseconds delay)
    : io_(io), registry_(registry), file_(std::move(file)), metrics_(metrics), delay_(delay),
      timer_(io), writer_([this] { run_writer(); }) {}

SnapshotScheduler::~SnapshotScheduler() {
    alive_.reset();
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
        pending_.reset();  // a write in flight finishes; one not started is dropped
    }
    queue_cv_.notify_all();
    writer_.join();
}

void SnapshotScheduler::changed(bool leases_only) {
    if (stopped_) return;  // shutting down: write_now() has the last word
    const auto after = paced(leases_only ? delay_ * renewal_factor : delay_);
    // A real change after a renewal-only one must not wait for the renewal's longer delay.
    if (armed_ && std::chrono::steady_clock::now() + after >= armed_until_) return;
    arm(after);
}

std::chrono::milliseconds SnapshotScheduler::paced(std::chrono::milliseconds after) const {
    return pacing_.delay(after, SnapshotPacing::Clock::now());
}

void SnapshotScheduler::arm(std::chrono::milliseconds after) {
    armed_ = true;
    armed_until_ = std::chrono::steady_clock::now() + after;
    timer_.expires_after(after);  // cancels an earlier wait, whose handler sees operation_aborted
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;  // cancelled at shutdown, or re-armed earlier
        armed_ = false;
        submit();
    });
}

void SnapshotScheduler::submit() {
    // A capture under way (or about to start) ends with the registry as it is then: this
    // change is in it.
    if (capture_ || preparing_) return;
    // One copy at a time: the next capture starts once the write in flight is reported, after
    // the rest its cost calls for (a copy taken now would queue behind it, unpaced).
    if (in_flight_) {
        again_after_write_ = true;
        return;
    }
    // The writer is idle (nothing in flight): it faults in the copy's memory, then the capture
    // starts (start_capture). The pacing counts that work as part of the write's cost.
    preparing_ = true;
    capture_started_ = SnapshotPacing::Clock::now();
    {
        std::lock_guard lock(queue_mutex_);
        storage_wanted_ = registry_.instance_count();
    }
    queue_cv_.notify_one();
}

void SnapshotScheduler::start_capture(std::vector<registry::SnapshotInstance> storage) {
    preparing_ = false;
    if (stopped_ || capture_) return;  // shutting down: write_now() has the last word
    capture_ = std::make_unique<registry::SlicedCapture>(registry_, std::move(storage));
    capture_next_slice();
}

void SnapshotScheduler::capture_next_slice() {
    if (!capture_->step(capture_slice)) {
        // Behind whatever work is queued meanwhile (heartbeats, gossip, DNS publication).
        boost::asio::post(io_, [this, alive = std::weak_ptr<int>(alive_)] {
            if (alive.lock() && capture_) capture_next_slice();
        });
        return;
    }
    Job job{++next_seq_, capture_->finish(), 0, capture_started_};
    capture_.reset();
    {
        std::lock_guard lock(queue_mutex_);
        if (stopping_) return;
        pending_ = std::move(job);
    }
    in_flight_ = true;
    queue_cv_.notify_one();
}

void SnapshotScheduler::run_writer() {
    name_this_thread("dnsd-snapshot");
    // Encoding and writing cache.json is background work: ten nice steps below the process,
    // this thread runs when the control thread and the DNS workers leave room, so that a
    // heartbeat's publication or a query does not wait behind the write of a large registry on
    // a shared core (bench/dns, 100,000 x 5). It is not starved: the scheduler still gives it
    // about a tenth of a busy core.
    const auto self = static_cast<id_t>(gettid());
    setpriority(PRIO_PROCESS, self, std::min(getpriority(PRIO_PROCESS, self) + 10, 19));
    for (;;) {
        Job job;
        {
            std::unique_lock lock(queue_mutex_);
            queue_cv_.wait(lock, [this] { return stopping_ || pending_.has_value() || storage_wanted_.has_value(); });
            if (stopping_) return;
            if (storage_wanted_) {
                const std::size_t instances = *storage_wanted_;
                storage_wanted_.reset();
                lock.unlock();
                auto storage = registry::SlicedCapture::storage_for(instances);
                boost::asio::post(io_, [this, alive = std::weak_ptr<int>(alive_), storage = std::move(storage)]() mutable {
                    if (alive.lock()) start_capture(std::move(storage));
                });
                continue;
            }
            job = std::move(*pending_);
            pending_.reset();
        }
        const std::error_code ec = write(job);
        const std::size_t instances = job.instances;
        const auto started = job.started;
        // The copy and its text held about twice the file's size in small blocks, now free:
        // give the pages back instead of carrying them as resident memory until the next write.
        malloc_trim(0);
        // Reported on the control thread, which owns the timer and the log state; never after
        // this scheduler is gone (the control thread destroys it, so the check cannot race).
        boost::asio::post(io_, [this, alive = std::weak_ptr<int>(alive_), ec, instances, started] {
            if (alive.lock()) written(ec, instances, started);
        });
    }
}

std::error_code SnapshotScheduler::write(Job& job) {
    std::lock_guard lock(write_mutex_);
    if (job.seq <= written_seq_) return std::make_error_code(std::errc::operation_canceled);
    written_seq_ = job.seq;
    std::string content;
    {
        const registry::SnapshotData data = std::move(job.parts).assemble();
        job.instances = data.instances.size();
        content = registry::encode_snapshot(data);
    }  // the copy can be large: given back before the slow part
    const std::error_code ec = registry::write_file_atomically(file_, content);
    if (!ec) spdlog::debug("wrote {} ({} bytes)", file_.string(), content.size());
    return ec;
}

void SnapshotScheduler::written(std::error_code ec, std::size_t instances,
                                SnapshotPacing::Clock::time_point started) {
    in_flight_ = false;
    if (stopped_) return;  // write_now() took over
    pacing_.wrote(started, SnapshotPacing::Clock::now());
    if (ec != std::errc::operation_canceled)  // else a newer copy is already on disk
        report(ec, instances, true);
    if (armed_) {
        // Armed during the write, before its cost was known: that wait gets the rest too.
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(armed_until_ - std::chrono::steady_clock::now());
        if (const auto rest = paced(left); rest > left) arm(rest);
    } else if (again_after_write_) {
        arm(paced(delay_));
    }
    again_after_write_ = false;
}

void SnapshotScheduler::report(std::error_code ec, std::size_t instances, bool retry) {
    if (ec) {
        metrics_.snapshot_failed();
        if (!failing_)
            spdlog::error("cannot write {}: {}; the previous snapshot is kept, retrying every {} ms",
                          file_.string(), ec.message(), kRetryAfterFailure.count());
        failing_ = true;
        // A change since may have armed the timer already; otherwise retry with what is current.
        if (retry && !armed_ && !stopped_) arm(paced(kRetryAfterFailure));
        return;
    }
    metrics_.snapshot_written();
    if (failing_) spdlog::info("wrote {} again after earlier failures", file_.string());
    failing_ = false;
    spdlog::debug("snapshot of {} instances on disk; it took {} ms, the next waits at least {} ms",
                  instances, pacing_.last_cost().count(), pacing_.last_rest().count());
}

bool SnapshotScheduler::write_now() {
    {
        std::lock_guard lock(queue_mutex_);
        // Older than the copy taken here. Dropped before the writer took it, it will never be
        // reported: nothing is in flight any more.
        if (pending_) in_flight_ = false;
        pending_.reset();
    }
    capture_.reset();  // a capture under way is older than this one
    registry::SlicedCapture whole(registry_);
    whole.step(std::numeric_limits<std::size_t>::max());
    Job job{++next_seq_, whole.finish(), 0};
    const std::error_code ec = write(job);
    report(ec, job.instances, false);  // the caller decides whether to try again
    return !ec;
}

void SnapshotScheduler::cancel() {
    stopped_ = true;
    capture_.reset();
    timer_.cancel();
    armed_ = false;
}

}  // namespace dnsd
