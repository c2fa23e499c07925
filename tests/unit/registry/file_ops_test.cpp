#include "registry/file_ops.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace dnsd::registry {
namespace {

using testing::read_text;
using testing::TempDir;
using testing::write_text;

TEST(PosixFileOpsTest, CreateNewWriteSyncCloseLeavesExactlyTheBytes) {
    TempDir dir;
    FileOps& ops = posix_file_ops();
    const NewFile f = ops.create_new(dir / "a");
    ASSERT_FALSE(f.error) << f.error.message();
    ASSERT_GE(f.fd, 0);
    EXPECT_FALSE(ops.write_all(f.fd, std::string_view("hello\0world", 11)));
    EXPECT_FALSE(ops.sync(f.fd));
    EXPECT_FALSE(ops.close(f.fd));
    EXPECT_EQ(read_text(dir / "a"), std::string("hello\0world", 11));
}

TEST(PosixFileOpsTest, CreateNewRefusesAnExistingFileAndLeavesItAlone) {
    TempDir dir;
    write_text(dir / "a", "old");
    const NewFile f = posix_file_ops().create_new(dir / "a");
    EXPECT_EQ(f.error, std::errc::file_exists);
    EXPECT_LT(f.fd, 0);
    EXPECT_EQ(read_text(dir / "a"), "old");
}

TEST(PosixFileOpsTest, WriteAllWritesALargeBufferCompletely) {
    TempDir dir;
    FileOps& ops = posix_file_ops();
    const std::string big(5 * 1024 * 1024 + 7, 'x');
    const NewFile f = ops.create_new(dir / "big");
    ASSERT_FALSE(f.error);
    EXPECT_FALSE(ops.write_all(f.fd, big));
    EXPECT_FALSE(ops.close(f.fd));
    EXPECT_EQ(std::filesystem::file_size(dir / "big"), big.size());
}

TEST(PosixFileOpsTest, WriteToAClosedDescriptorReportsTheError) {
    TempDir dir;
    FileOps& ops = posix_file_ops();
    const NewFile f = ops.create_new(dir / "a");
    ASSERT_FALSE(ops.close(f.fd));
    EXPECT_EQ(ops.write_all(f.fd, "x"), std::errc::bad_file_descriptor);
    EXPECT_EQ(ops.sync(f.fd), std::errc::bad_file_descriptor);
    EXPECT_EQ(ops.close(f.fd), std::errc::bad_file_descriptor);
}

TEST(PosixFileOpsTest, RenameReplacesTheTarget) {
    TempDir dir;
    write_text(dir / "new", "new");
    write_text(dir / "target", "old");
    EXPECT_FALSE(posix_file_ops().rename(dir / "new", dir / "target"));
    EXPECT_EQ(read_text(dir / "target"), "new");
    EXPECT_FALSE(std::filesystem::exists(dir / "new"));
}

TEST(PosixFileOpsTest, RenameOfAMissingFileFails) {
    TempDir dir;
    EXPECT_EQ(posix_file_ops().rename(dir / "none", dir / "target"),
              std::errc::no_such_file_or_directory);
}

TEST(PosixFileOpsTest, RemoveDeletesAndReportsAMissingFile) {
    TempDir dir;
    write_text(dir / "a", "x");
    EXPECT_FALSE(posix_file_ops().remove(dir / "a"));
    EXPECT_FALSE(std::filesystem::exists(dir / "a"));
    EXPECT_EQ(posix_file_ops().remove(dir / "a"), std::errc::no_such_file_or_directory);
}

TEST(PosixFileOpsTest, CreateDirectoriesMakesNestedDirectoriesAndAcceptsExisting) {
    TempDir dir;
    EXPECT_FALSE(posix_file_ops().create_directories(dir / "a/b/c"));
    EXPECT_TRUE(std::filesystem::is_directory(dir / "a/b/c"));
    EXPECT_FALSE(posix_file_ops().create_directories(dir / "a/b/c"));
}

TEST(PosixFileOpsTest, SyncDirectoryWorksOnADirectoryAndFailsOnAMissingOne) {
    TempDir dir;
    EXPECT_FALSE(posix_file_ops().sync_directory(dir.path()));
    EXPECT_EQ(posix_file_ops().sync_directory(dir / "none"), std::errc::no_such_file_or_directory);
}

}  // namespace
}  // namespace dnsd::registry
