#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
#include <filesystem>
#include <string>
#include <string_view>

namespace dnsd::e2e {

class TempDir {
public:
    TempDir();  // throws when the directory cannot be created
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Whole file contents ("" when unreadable) and a writer, for data-dir manipulation in tests.
std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, std::string_view bytes);

}  // namespace dnsd::e2e
