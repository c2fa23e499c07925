#include "registry/set_aside.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace dnsd::registry {
namespace {

using testing::read_text;
using testing::TempDir;
using testing::write_text;

TEST(SetAsideTest, RenamesTheFileWithTheWallTime) {
    TempDir dir;
    write_text(dir / "cache.json", "bad");
    const SetAsideResult r = set_aside(dir / "cache.json", 1'770'000'000'123);
    ASSERT_FALSE(r.error) << r.error.message();
    EXPECT_EQ(r.moved_to, dir / "cache.json.corrupt-1770000000123");
    EXPECT_EQ(read_text(r.moved_to), "bad");
    EXPECT_FALSE(std::filesystem::exists(dir / "cache.json"));
}

TEST(SetAsideTest, NeverReplacesAnEarlierSetAsideFile) {
    TempDir dir;
    write_text(dir / "cache.json", "first");
    const SetAsideResult first = set_aside(dir / "cache.json", 5);
    write_text(dir / "cache.json", "second");
    const SetAsideResult second = set_aside(dir / "cache.json", 5);
    write_text(dir / "cache.json", "third");
    const SetAsideResult third = set_aside(dir / "cache.json", 5);

    ASSERT_FALSE(second.error);
    ASSERT_FALSE(third.error);
    EXPECT_EQ(first.moved_to, dir / "cache.json.corrupt-5");
    EXPECT_EQ(second.moved_to, dir / "cache.json.corrupt-5-1");
    EXPECT_EQ(third.moved_to, dir / "cache.json.corrupt-5-2");
    EXPECT_EQ(read_text(first.moved_to), "first");
    EXPECT_EQ(read_text(second.moved_to), "second");
    EXPECT_EQ(read_text(third.moved_to), "third");
}

TEST(SetAsideTest, MovesADirectoryInTheFilesPlace) {
    TempDir dir;
    std::filesystem::create_directories(dir / "cache.json/x");
    const SetAsideResult r = set_aside(dir / "cache.json", 7);
    ASSERT_FALSE(r.error);
    EXPECT_TRUE(std::filesystem::is_directory(dir / "cache.json.corrupt-7/x"));
}

TEST(SetAsideTest, AMissingFileIsAnErrorWithNoDestination) {
    TempDir dir;
    const SetAsideResult r = set_aside(dir / "cache.json", 5);
    EXPECT_EQ(r.error, std::errc::no_such_file_or_directory);
    EXPECT_TRUE(r.moved_to.empty());
}

}  // namespace
}  // namespace dnsd::registry
