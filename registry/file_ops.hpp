#pragma once
// The file-system calls an atomic file write makes, behind an interface: tests replace it with
// one that fails at a chosen step (ENOSPC at write, fsync or rename...), because a full disk or
// a write-protected directory cannot be arranged in a unit test that runs as root.
#include <filesystem>
#include <string_view>
#include <system_error>

namespace dnsd::registry {

struct NewFile {
    int fd = -1;
    std::error_code error;
};

class FileOps {
public:
    virtual ~FileOps() = default;
    virtual std::error_code create_directories(const std::filesystem::path& dir) = 0;
    // Fails with EEXIST if the file exists: a new temporary file never reuses someone's file.
    virtual NewFile create_new(const std::filesystem::path& file) = 0;
    // All of `bytes`, or an error (a short write is retried, not reported).
    virtual std::error_code write_all(int fd, std::string_view bytes) = 0;
    virtual std::error_code sync(int fd) = 0;
    // Releases the descriptor even when it reports an error (as close(2) does on Linux).
    virtual std::error_code close(int fd) = 0;
    virtual std::error_code rename(const std::filesystem::path& from,
                                   const std::filesystem::path& to) = 0;
    virtual std::error_code remove(const std::filesystem::path& file) = 0;
    // Makes a rename in `dir` durable: without it a power cut can bring back the old entry.
    virtual std::error_code sync_directory(const std::filesystem::path& dir) = 0;
};

class PosixFileOps final : public FileOps {
public:
    std::error_code create_directories(const std::filesystem::path& dir) override;
    NewFile create_new(const std::filesystem::path& file) override;
    std::error_code write_all(int fd, std::string_view bytes) override;
    std::error_code sync(int fd) override;
    std::error_code close(int fd) override;
    std::error_code rename(const std::filesystem::path& from,
                           const std::filesystem::path& to) override;
    std::error_code remove(const std::filesystem::path& file) override;
    std::error_code sync_directory(const std::filesystem::path& dir) override;
};

// The real file system; stateless, so one shared instance serves every caller and thread.
FileOps& posix_file_ops();

}  // namespace dnsd::registry
