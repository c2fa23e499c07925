#pragma once
// The real file system, except that one chosen step fails as a full disk would (ENOSPC by
// default). The failing write first writes half of its bytes, as a disk filling up does.
#include <string_view>
#include <system_error>

#include "registry/file_ops.hpp"

namespace dnsd::registry::testing {

enum class FileStep { create_directories, create_new, write, sync, close, rename, sync_directory };

class FailingFileOps final : public FileOps {
public:
    explicit FailingFileOps(FileStep fail_at, std::error_code error = std::make_error_code(
                                                  std::errc::no_space_on_device))
        : fail_at_(fail_at), error_(error) {}

    std::error_code create_directories(const std::filesystem::path& dir) override {
        if (fail_at_ == FileStep::create_directories) return error_;
        return real_.create_directories(dir);
    }
    NewFile create_new(const std::filesystem::path& file) override {
        if (fail_at_ == FileStep::create_new) return {-1, error_};
        return real_.create_new(file);
    }
    std::error_code write_all(int fd, std::string_view bytes) override {
        if (fail_at_ != FileStep::write) return real_.write_all(fd, bytes);
        if (auto ec = real_.write_all(fd, bytes.substr(0, bytes.size() / 2))) return ec;
        return error_;
    }
    std::error_code sync(int fd) override {
        if (fail_at_ == FileStep::sync) return error_;
        return real_.sync(fd);
    }
    std::error_code close(int fd) override {
        const std::error_code ec = real_.close(fd);  // the descriptor goes either way
        return fail_at_ == FileStep::close ? error_ : ec;
    }
    std::error_code rename(const std::filesystem::path& from,
                           const std::filesystem::path& to) override {
        if (fail_at_ == FileStep::rename) return error_;
        return real_.rename(from, to);
    }
    std::error_code remove(const std::filesystem::path& file) override {
        return real_.remove(file);
    }
    std::error_code sync_directory(const std::filesystem::path& dir) override {
        if (fail_at_ == FileStep::sync_directory) return error_;
        return real_.sync_directory(dir);
    }

private:
    PosixFileOps real_;
    FileStep fail_at_;
    std::error_code error_;
};

}  // namespace dnsd::registry::testing
