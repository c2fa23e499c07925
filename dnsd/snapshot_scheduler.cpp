#include "dnsd/snapshot_scheduler.hpp"

#include <spdlog/spdlog.h>

#include "registry/atomic_file.hpp"
#include "registry/snapshot_encode.hpp"

namespace dnsd {

namespace {
constexpr std::chrono::milliseconds kRetryAfterFailure{1000};
}

SnapshotScheduler::SnapshotScheduler(boost::asio::io_context& io, const registry::Registry& registry,
                                     std::filesystem::path file, Metrics& metrics,
                                     std::chrono::milliseconds delay)
    : registry_(registry), file_(std::move(file)), metrics_(metrics), delay_(delay), timer_(io) {}

void SnapshotScheduler::changed() {
    if (!armed_) arm(delay_);
}

void SnapshotScheduler::arm(std::chrono::milliseconds after) {
    armed_ = true;
    timer_.expires_after(after);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;  // cancelled at shutdown
        armed_ = false;
        if (!write_now()) arm(kRetryAfterFailure);
    });
}

bool SnapshotScheduler::write_now() {
    // Encoding and writing run on the control thread: simple and consistent (the registry has
    // one writer), at the cost of pausing HTTP for the duration of a large write.
    const std::string content = registry::encode_snapshot(registry_);
    const std::error_code ec = registry::write_file_atomically(file_, content);
    if (ec) {
        metrics_.snapshot_failed();
        if (!failing_)
            spdlog::error("cannot write {}: {}; the previous snapshot is kept, retrying every {} ms",
                          file_.string(), ec.message(), kRetryAfterFailure.count());
        failing_ = true;
        return false;
    }
    metrics_.snapshot_written();
    if (failing_) spdlog::info("wrote {} again after earlier failures", file_.string());
    failing_ = false;
    spdlog::debug("wrote {} ({} bytes, {} instances)", file_.string(), content.size(),
                  registry_.instance_count());
    return true;
}

void SnapshotScheduler::cancel() {
    timer_.cancel();
    armed_ = false;
}

}  // namespace dnsd
