// prefault() makes pages resident without touching them, and leaves what is in them alone.
#include "registry/prefault.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include <gtest/gtest.h>

namespace dnsd::registry {
namespace {

std::size_t resident_pages(void* p, std::size_t bytes) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> in_core((bytes + page - 1) / page);
    if (mincore(p, bytes, in_core.data()) != 0) return 0;
    std::size_t n = 0;
    for (unsigned char c : in_core) n += c & 1;
    return n;
}

TEST(Prefault, MakesEveryWholePageResidentAndKeepsTheContents) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t bytes = 64 * page;
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(p, MAP_FAILED);
    auto* bytes_at = static_cast<char*>(p);
    // No huge pages here: a 2 MiB fault would make the first check's "few" all of them.
    madvise(p, bytes, MADV_NOHUGEPAGE);
    std::memcpy(bytes_at + 3 * page + 7, "kept", 5);  // one page in use already
    EXPECT_LE(resident_pages(p, bytes), 2u);

    // From the middle of a page: that partial page is left to its other owner.
    ASSERT_TRUE(prefault(bytes_at + 10, bytes - 10)) << "kernel without MADV_POPULATE_WRITE?";
    EXPECT_EQ(resident_pages(p, page), 0u) << "the partial first page is not prefault's to touch";
    EXPECT_EQ(resident_pages(bytes_at + page, bytes - page), 63u);
    EXPECT_STREQ(bytes_at + 3 * page + 7, "kept");
    EXPECT_EQ(bytes_at[5 * page], 0) << "fresh pages read as zero";
    munmap(p, bytes);
}

TEST(Prefault, LessThanAPageIsNothingToDo) {
    char small[16] = {};
    EXPECT_TRUE(prefault(small + 1, 8));
    EXPECT_TRUE(prefault(nullptr, 0));
}

}  // namespace
}  // namespace dnsd::registry
