#include "registry/atomic_file.hpp"

#include <gtest/gtest.h>

#include "failing_file_ops.hpp"
#include "temp_dir.hpp"

namespace dnsd::registry {
namespace {

using testing::FailingFileOps;
using testing::FileStep;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

const std::vector<std::string> only_cache{"cache.json"};

TEST(AtomicFileTest, WritesANewFile) {
    TempDir dir;
    EXPECT_FALSE(write_file_atomically(dir / "cache.json", "{\"a\":1}"));
    EXPECT_EQ(read_text(dir / "cache.json"), "{\"a\":1}");
    EXPECT_EQ(dir.entries(), only_cache);  // no temporary file left
}

TEST(AtomicFileTest, ReplacesThePreviousContent) {
    TempDir dir;
    write_text(dir / "cache.json", "a much longer previous content");
    EXPECT_FALSE(write_file_atomically(dir / "cache.json", "new"));
    EXPECT_EQ(read_text(dir / "cache.json"), "new");
    EXPECT_EQ(dir.entries(), only_cache);
}

TEST(AtomicFileTest, WritesEmptyContent) {
    TempDir dir;
    write_text(dir / "cache.json", "old");
    EXPECT_FALSE(write_file_atomically(dir / "cache.json", ""));
    EXPECT_EQ(read_text(dir / "cache.json"), "");
}

TEST(AtomicFileTest, CreatesAMissingDirectory) {
    TempDir dir;
    const auto file = dir / "data/dnsd/cache.json";
    EXPECT_FALSE(write_file_atomically(file, "x"));
    EXPECT_EQ(read_text(file), "x");
}

TEST(AtomicFileTest, ATargetThatIsADirectoryFailsAndLeavesNoTemporaryFile) {
    TempDir dir;
    std::filesystem::create_directories(dir / "cache.json/inside");
    EXPECT_TRUE(write_file_atomically(dir / "cache.json", "x"));
    EXPECT_EQ(dir.entries(), only_cache);
    EXPECT_TRUE(std::filesystem::is_directory(dir / "cache.json/inside"));
}

// A failure at any step before the rename keeps the previous file byte for byte.
class AtomicFileFailureTest : public ::testing::TestWithParam<FileStep> {};

TEST_P(AtomicFileFailureTest, KeepsThePreviousFileAndLeavesNoTemporaryFile) {
    TempDir dir;
    const std::string previous("previous\0content\n", 17);
    write_text(dir / "cache.json", previous);
    FailingFileOps ops(GetParam());
    const std::error_code ec =
        write_file_atomically(dir / "cache.json", std::string(4096, 'n'), ops);
    EXPECT_EQ(ec, std::errc::no_space_on_device);
    EXPECT_EQ(read_text(dir / "cache.json"), previous);
    EXPECT_EQ(dir.entries(), only_cache);
}

TEST_P(AtomicFileFailureTest, WithoutAPreviousFileLeavesNothing) {
    TempDir dir;
    FailingFileOps ops(GetParam());
    EXPECT_TRUE(write_file_atomically(dir / "cache.json", "new", ops));
    EXPECT_TRUE(dir.entries().empty());
}

INSTANTIATE_TEST_SUITE_P(EveryStepBeforeTheRename, AtomicFileFailureTest,
                         ::testing::Values(FileStep::create_directories, FileStep::create_new,
                                           FileStep::write, FileStep::sync, FileStep::close,
                                           FileStep::rename),
                         [](const auto& test) {
                             switch (test.param) {
                                 case FileStep::create_directories: return "create_directories";
                                 case FileStep::create_new: return "create_new";
                                 case FileStep::write: return "write";
                                 case FileStep::sync: return "sync";
                                 case FileStep::close: return "close";
                                 case FileStep::rename: return "rename";
                                 case FileStep::sync_directory: return "sync_directory";
                             }
                             return "unknown";
                         });

TEST(AtomicFileTest, AFailedDirectorySyncIsReportedWithTheNewContentInPlace) {
    TempDir dir;
    write_text(dir / "cache.json", "old");
    FailingFileOps ops(FileStep::sync_directory);
    EXPECT_EQ(write_file_atomically(dir / "cache.json", "new", ops), std::errc::no_space_on_device);
    EXPECT_EQ(read_text(dir / "cache.json"), "new");
    EXPECT_EQ(dir.entries(), only_cache);
}

// A temporary name already taken (a crashed process with the same pid) is skipped, not reused.
class TakenNameOnce final : public FileOps {
public:
    std::error_code create_directories(const std::filesystem::path& d) override {
        return real.create_directories(d);
    }
    NewFile create_new(const std::filesystem::path& f) override {
        tried.push_back(f);
        if (tried.size() == 1) return {-1, std::make_error_code(std::errc::file_exists)};
        return real.create_new(f);
    }
    std::error_code write_all(int fd, std::string_view b) override { return real.write_all(fd, b); }
    std::error_code sync(int fd) override { return real.sync(fd); }
    std::error_code close(int fd) override { return real.close(fd); }
    std::error_code rename(const std::filesystem::path& a,
                           const std::filesystem::path& b) override {
        return real.rename(a, b);
    }
    std::error_code remove(const std::filesystem::path& f) override { return real.remove(f); }
    std::error_code sync_directory(const std::filesystem::path& d) override {
        return real.sync_directory(d);
    }

    PosixFileOps real;
    std::vector<std::filesystem::path> tried;
};

TEST(AtomicFileTest, ATakenTemporaryNameIsSkipped) {
    TempDir dir;
    TakenNameOnce ops;
    EXPECT_FALSE(write_file_atomically(dir / "cache.json", "x", ops));
    ASSERT_EQ(ops.tried.size(), 2u);
    EXPECT_NE(ops.tried[0], ops.tried[1]);
    EXPECT_EQ(ops.tried[1].parent_path(), dir.path());  // same directory: rename stays atomic
    EXPECT_EQ(read_text(dir / "cache.json"), "x");
}

TEST(AtomicFileTest, RemovesLeftoverTemporaryFilesOfThisFileOnly) {
    TempDir dir;
    write_text(dir / "cache.json", "keep");
    write_text(dir / ".cache.json.tmp-123-0", "left by a crash");
    write_text(dir / ".cache.json.tmp-99-7", "left by a crash");
    write_text(dir / ".other.json.tmp-1-0", "not ours");
    write_text(dir / "cache.json.corrupt-5", "not a temporary file");
    EXPECT_EQ(remove_leftover_temp_files(dir / "cache.json"), 2u);
    EXPECT_EQ(dir.entries(), (std::vector<std::string>{".other.json.tmp-1-0", "cache.json",
                                                       "cache.json.corrupt-5"}));
}

TEST(AtomicFileTest, RemovingLeftoversInAMissingDirectoryRemovesNothing) {
    TempDir dir;
    EXPECT_EQ(remove_leftover_temp_files(dir / "none/cache.json"), 0u);
}

}  // namespace
}  // namespace dnsd::registry
