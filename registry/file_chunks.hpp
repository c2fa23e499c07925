#pragma once
// Reading a file piece by piece, for parsers that take their input in chunks: a large file is
// then never held in memory whole.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string_view>
#include <system_error>

namespace dnsd::registry {

struct ChunkedRead {
    enum class Status { ok, missing, unreadable };
    Status status = Status::ok;
    std::error_code error;  // unreadable: why
    std::size_t bytes = 0;  // handed to the consumer
};

// Calls `consume` with each chunk (at most chunk_size bytes) until the end of the file, or until
// `consume` returns false (the consumer has seen enough; the read still counts as ok).
ChunkedRead read_in_chunks(const std::filesystem::path& file, std::size_t chunk_size,
                           const std::function<bool(std::string_view)>& consume);

// An open file whose ranges several threads may read at once (each read is a pread at its own
// offset), for a parser that decodes a large file in parts.
class RangeReadableFile {
public:
    static constexpr std::uint64_t to_end = std::numeric_limits<std::uint64_t>::max();

    explicit RangeReadableFile(const std::filesystem::path& file);
    ~RangeReadableFile();
    RangeReadableFile(const RangeReadableFile&) = delete;
    RangeReadableFile& operator=(const RangeReadableFile&) = delete;

    // ok, or why the file could not be opened (missing / unreadable, with the error).
    const ChunkedRead& opened() const { return opened_; }
    // When it was opened.
    std::uint64_t size() const { return size_; }
    // As read_in_chunks, for the bytes from `begin` up to `end` or the end of the file.
    ChunkedRead read_range(std::uint64_t begin, std::uint64_t end, std::size_t chunk_size,
                           const std::function<bool(std::string_view)>& consume) const;

private:
    int fd_ = -1;
    std::uint64_t size_ = 0;
    ChunkedRead opened_;
};

}  // namespace dnsd::registry
