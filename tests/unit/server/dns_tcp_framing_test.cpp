#include "dnsd/dns_tcp_framing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace dnsd {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes framed(const std::string& body) {
    // Built element by element: GCC 12 at -O2 misreads insert() into a two-byte vector as an
    // out-of-bounds memcpy (-Warray-bounds false positive).
    Bytes out;
    out.reserve(body.size() + 2);
    out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(body.size() & 0xff));
    for (char c : body) out.push_back(static_cast<std::uint8_t>(c));
    return out;
}

void feed(TcpFrameSplitter& s, const Bytes& bytes) {
    const auto space = s.free_space();
    ASSERT_GE(space.size(), bytes.size());
    std::memcpy(space.data(), bytes.data(), bytes.size());
    s.commit(bytes.size());
}

std::string text(const Frame& f) { return {f.message.begin(), f.message.end()}; }

TEST(TcpFrameSplitter, NeedsMoreUntilAWholeMessageArrived) {
    TcpFrameSplitter s;
    EXPECT_EQ(s.next().status, FrameStatus::need_more);
    feed(s, {0x00});  // half a prefix
    EXPECT_EQ(s.next().status, FrameStatus::need_more);
    feed(s, {0x03, 'a', 'b'});
    EXPECT_EQ(s.next().status, FrameStatus::need_more);
    EXPECT_EQ(s.buffered(), 4u);
    feed(s, {'c'});
    const Frame f = s.next();
    ASSERT_EQ(f.status, FrameStatus::message);
    EXPECT_EQ(text(f), "abc");
    EXPECT_EQ(s.buffered(), 0u);
}

TEST(TcpFrameSplitter, ReturnsPipelinedMessagesOfOneReadInOrder) {
    TcpFrameSplitter s;
    Bytes burst = framed("one");
    for (const auto& m : {framed("two"), framed("three")}) burst.insert(burst.end(), m.begin(), m.end());
    burst.push_back(0x00);  // the start of a fourth
    feed(s, burst);
    EXPECT_EQ(text(s.next()), "one");
    EXPECT_EQ(text(s.next()), "two");
    EXPECT_EQ(text(s.next()), "three");
    EXPECT_EQ(s.next().status, FrameStatus::need_more);
    EXPECT_EQ(s.buffered(), 1u);
}

TEST(TcpFrameSplitter, ReportsAZeroLengthPrefix) {
    TcpFrameSplitter s;
    feed(s, {0x00, 0x00, 0x00, 0x01, 'x'});
    EXPECT_EQ(s.next().status, FrameStatus::empty_message);
}

TEST(TcpFrameSplitter, TakesLargestMessagesBackToBackAcrossCompaction) {
    TcpFrameSplitter s;
    const std::string big(TcpFrameSplitter::max_message, 'q');
    Bytes stream;
    for (int i = 0; i < 3; ++i) {
        const Bytes m = framed(big);
        stream.insert(stream.end(), m.begin(), m.end());
    }
    std::size_t fed = 0;
    int messages = 0;
    for (;;) {
        const Frame f = s.next();
        if (f.status == FrameStatus::message) {
            EXPECT_EQ(f.message.size(), big.size());
            EXPECT_TRUE(std::all_of(f.message.begin(), f.message.end(), [](auto c) { return c == 'q'; }));
            ++messages;
            continue;
        }
        if (fed == stream.size()) break;
        const auto space = s.free_space();
        ASSERT_FALSE(space.empty());
        // Odd-sized reads so that frames straddle reads and the buffer must compact.
        const std::size_t n = std::min({space.size(), stream.size() - fed, std::size_t{40'000}});
        std::memcpy(space.data(), stream.data() + fed, n);
        s.commit(n);
        fed += n;
    }
    EXPECT_EQ(messages, 3);
}

TEST(TcpFrameSplitter, ClampsACommitLargerThanTheFreeSpace) {
    TcpFrameSplitter s;
    s.commit(TcpFrameSplitter::capacity + 10);
    EXPECT_EQ(s.buffered(), TcpFrameSplitter::capacity);
}

}  // namespace
}  // namespace dnsd
