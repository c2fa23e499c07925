#pragma once
// Reading a file piece by piece, for parsers that take their input in chunks: a large file is
// then never held in memory whole.
#include <cstddef>
#include <filesystem>
#include <functional>
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

}  // namespace dnsd::registry
