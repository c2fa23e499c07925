#pragma once
// One dnsd per data directory: two writers of the same cache.json would overwrite each
// other's registry. An flock on DIR/lock is held for the life of the process.
#include <filesystem>

namespace dnsd {

class DataDirLock {
public:
    // Creates the directory if needed. Throws std::runtime_error with a clear sentence when the
    // directory cannot be created or another process holds the lock.
    explicit DataDirLock(const std::filesystem::path& dir);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace dnsd
