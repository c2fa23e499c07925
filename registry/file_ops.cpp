#include "registry/file_ops.hpp"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

namespace dnsd::registry {

namespace {

std::error_code last_error() {
    return {errno, std::generic_category()};
}

}  // namespace

std::error_code PosixFileOps::create_directories(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    return ec;
}

NewFile PosixFileOps::create_new(const std::filesystem::path& file) {
    NewFile out;
    out.fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out.fd < 0) out.error = last_error();
    return out;
}

std::error_code PosixFileOps::write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return last_error();
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

std::error_code PosixFileOps::sync(int fd) {
    if (::fsync(fd) != 0) return last_error();
    return {};
}

std::error_code PosixFileOps::close(int fd) {
    // Not retried on EINTR: on Linux the descriptor is gone whatever close() returns.
    if (::close(fd) != 0) return last_error();
    return {};
}

std::error_code PosixFileOps::rename(const std::filesystem::path& from,
                                     const std::filesystem::path& to) {
    if (std::rename(from.c_str(), to.c_str()) != 0) return last_error();
    return {};
}

std::error_code PosixFileOps::remove(const std::filesystem::path& file) {
    if (::unlink(file.c_str()) != 0) return last_error();
    return {};
}

std::error_code PosixFileOps::sync_directory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return last_error();
    std::error_code ec;
    if (::fsync(fd) != 0) ec = last_error();
    ::close(fd);
    return ec;
}

FileOps& posix_file_ops() {
    static PosixFileOps ops;
    return ops;
}

}  // namespace dnsd::registry
