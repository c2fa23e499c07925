#include "registry/atomic_file.hpp"

#include <atomic>
#include <cerrno>
#include <string>

#include <unistd.h>

namespace dnsd::registry {

namespace {

// ".cache.json.tmp-": hidden, and recognisable as ours by remove_leftover_temp_files.
std::string temp_prefix(const std::filesystem::path& file) {
    // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on "." + string.
    std::string prefix = ".";
    prefix += file.filename().string();
    prefix += ".tmp-";
    return prefix;
}

// Unique among this process's writers (pid + counter); a leftover of a crashed process with the
// same pid is skipped by create_new's EEXIST and the next counter value.
std::filesystem::path temp_path(const std::filesystem::path& file) {
    static std::atomic<unsigned long> counter{0};
    const unsigned long n = counter.fetch_add(1, std::memory_order_relaxed);
    return file.parent_path() /
           (temp_prefix(file) + std::to_string(::getpid()) + "-" + std::to_string(n));
}

struct TempFile {
    std::filesystem::path path;
    NewFile file;
};

TempFile create_temp(const std::filesystem::path& file, FileOps& ops) {
    constexpr int attempts = 100;
    TempFile temp;
    for (int i = 0; i < attempts; ++i) {
        temp.path = temp_path(file);
        temp.file = ops.create_new(temp.path);
        if (temp.file.error != std::errc::file_exists) break;
    }
    return temp;
}

}  // namespace

std::error_code write_file_atomically(const std::filesystem::path& file, std::string_view content,
                                      FileOps& ops) {
    const std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
    if (auto ec = ops.create_directories(dir)) return ec;

    TempFile temp = create_temp(file, ops);
    if (temp.file.error) return temp.file.error;

    int fd = temp.file.fd;
    auto abandon = [&](std::error_code ec) {
        if (fd >= 0) ops.close(fd);
        ops.remove(temp.path);
        return ec;
    };
    if (auto ec = ops.write_all(fd, content)) return abandon(ec);
    // Data first, name second: renaming before the data is on disk can leave an empty file
    // under the real name after a power cut.
    if (auto ec = ops.sync(fd)) return abandon(ec);
    const std::error_code close_error = ops.close(fd);
    fd = -1;
    if (close_error) return abandon(close_error);
    if (auto ec = ops.rename(temp.path, file)) return abandon(ec);
    return ops.sync_directory(dir);
}

std::size_t remove_leftover_temp_files(const std::filesystem::path& file) {
    const std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
    const std::string prefix = temp_prefix(file);
    std::size_t removed = 0;
    // Error codes, not exceptions: a directory that cannot be listed just has nothing removed.
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        std::error_code remove_error;
        if (std::filesystem::remove(it->path(), remove_error)) ++removed;
    }
    return removed;
}

}  // namespace dnsd::registry
