#include "registry/file_chunks.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace dnsd::registry {
namespace {

using testing::TempDir;
using testing::write_text;

TEST(FileChunksTest, HandsOverTheWholeFileInChunksOfAtMostTheGivenSize) {
    TempDir dir;
    const std::string text = "0123456789abcdefghij";
    write_text(dir / "f", text);
    std::vector<std::string> chunks;
    const ChunkedRead r = read_in_chunks(dir / "f", 8, [&](std::string_view c) {
        chunks.emplace_back(c);
        return true;
    });
    EXPECT_EQ(r.status, ChunkedRead::Status::ok);
    EXPECT_EQ(r.bytes, text.size());
    std::string joined;
    for (const auto& c : chunks) {
        EXPECT_LE(c.size(), 8u);
        joined += c;
    }
    EXPECT_EQ(joined, text);
}

TEST(FileChunksTest, StopsWhenTheConsumerHasSeenEnough) {
    TempDir dir;
    write_text(dir / "f", std::string(100, 'x'));
    int calls = 0;
    const ChunkedRead r =
        read_in_chunks(dir / "f", 10, [&](std::string_view) { return ++calls < 3; });
    EXPECT_EQ(r.status, ChunkedRead::Status::ok);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(r.bytes, 30u);
}

TEST(FileChunksTest, AnEmptyFileIsReadWithoutChunks) {
    TempDir dir;
    write_text(dir / "f", "");
    int calls = 0;
    const ChunkedRead r =
        read_in_chunks(dir / "f", 10, [&](std::string_view) { return ++calls > 0; });
    EXPECT_EQ(r.status, ChunkedRead::Status::ok);
    EXPECT_EQ(r.bytes, 0u);
    EXPECT_EQ(calls, 0);
}

TEST(FileChunksTest, AMissingFileIsMissing) {
    TempDir dir;
    const ChunkedRead r = read_in_chunks(dir / "none", 10, [](std::string_view) { return true; });
    EXPECT_EQ(r.status, ChunkedRead::Status::missing);
    EXPECT_EQ(r.error, std::errc::no_such_file_or_directory);
}

TEST(FileChunksTest, ADirectoryIsUnreadable) {
    TempDir dir;
    std::filesystem::create_directories(dir / "d");
    const ChunkedRead r = read_in_chunks(dir / "d", 10, [](std::string_view) { return true; });
    EXPECT_EQ(r.status, ChunkedRead::Status::unreadable);
    EXPECT_EQ(r.error, std::errc::is_a_directory);
}

}  // namespace
}  // namespace dnsd::registry
