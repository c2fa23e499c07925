#include "registry/file_chunks.hpp"

#include <cerrno>
#include <vector>

#include <fcntl.h>
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

}  // namespace

ChunkedRead read_in_chunks(const std::filesystem::path& file, std::size_t chunk_size,
                           const std::function<bool(std::string_view)>& consume) {
    ReadOnlyFile in(file);
    if (!in.is_open()) {
        const int error = errno;
        return failed(
            error == ENOENT ? ChunkedRead::Status::missing : ChunkedRead::Status::unreadable, error,
            0);
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

}  // namespace dnsd::registry
