#include "registry/file_chunks.hpp"

#include <algorithm>
#include <cerrno>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dnsd::registry {

namespace {

// Closes the descriptor on every way out.
class ReadOnlyFile {
public:
    explicit ReadOnlyFile(const std::filesystem::path& file)
        : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~ReadOnlyFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

    bool is_open() const { return fd_ >= 0; }
    // Bytes read (0 at the end), or -1 with errno set.
    ssize_t read(char* buf, std::size_t size) {
        for (;;) {
            const ssize_t n = ::read(fd_, buf, size);
            if (n >= 0 || errno != EINTR) return n;
        }
    }

private:
    int fd_;
};

ChunkedRead failed(ChunkedRead::Status status, int error, std::size_t bytes) {
    ChunkedRead out;
    out.status = status;
    out.error = {error, std::generic_category()};
    out.bytes = bytes;
    return out;
}

ChunkedRead::Status open_failure(int error) {
    return error == ENOENT ? ChunkedRead::Status::missing : ChunkedRead::Status::unreadable;
}

}  // namespace

ChunkedRead read_in_chunks(const std::filesystem::path& file, std::size_t chunk_size,
                           const std::function<bool(std::string_view)>& consume) {
    ReadOnlyFile in(file);
    if (!in.is_open()) {
        const int error = errno;
        return failed(open_failure(error), error, 0);
    }
    std::vector<char> buf(chunk_size);
    ChunkedRead out;
    for (;;) {
        const ssize_t n = in.read(buf.data(), buf.size());
        if (n < 0) return failed(ChunkedRead::Status::unreadable, errno, out.bytes);
        if (n == 0) return out;
        out.bytes += static_cast<std::size_t>(n);
        if (!consume({buf.data(), static_cast<std::size_t>(n)})) return out;
    }
}

RangeReadableFile::RangeReadableFile(const std::filesystem::path& file)
    : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) {
        const int error = errno;
        opened_ = failed(open_failure(error), error, 0);
        return;
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        opened_ = failed(ChunkedRead::Status::unreadable, errno, 0);
        return;
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
}

RangeReadableFile::~RangeReadableFile() {
    if (fd_ >= 0) ::close(fd_);
}

ChunkedRead RangeReadableFile::read_range(std::uint64_t begin, std::uint64_t end,
                                          std::size_t chunk_size,
                                          const std::function<bool(std::string_view)>& consume) const {
    if (opened_.status != ChunkedRead::Status::ok) return opened_;
    std::vector<char> buf(chunk_size);
    ChunkedRead out;
    std::uint64_t at = begin;
    while (at < end) {
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), end - at));
        const ssize_t n = ::pread(fd_, buf.data(), want, static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failed(ChunkedRead::Status::unreadable, errno, out.bytes);
        if (n == 0) return out;
        at += static_cast<std::uint64_t>(n);
        out.bytes += static_cast<std::size_t>(n);
        if (!consume({buf.data(), static_cast<std::size_t>(n)})) return out;
    }
    return out;
}

}  // namespace dnsd::registry
