#include "zones/wire_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "raw_message.hpp"

namespace dnsd::zones {
namespace {

using test::RawMessage;

TEST(WireReader, IntegersAreBigEndianAndBounded) {
    const std::vector<std::uint8_t> bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
    WireReader r(bytes);
    std::uint8_t a = 0;
    std::uint16_t b = 0;
    std::uint32_t c = 0;
    ASSERT_TRUE(r.u8(a));
    ASSERT_TRUE(r.u16(b));
    ASSERT_TRUE(r.u32(c));
    EXPECT_EQ(a, 0x01);
    EXPECT_EQ(b, 0x0203);
    EXPECT_EQ(c, 0x04050607u);
    EXPECT_EQ(r.remaining(), 0u);
    EXPECT_FALSE(r.u8(a));
    EXPECT_FALSE(r.skip(1));
    EXPECT_TRUE(r.skip(0));

    WireReader partial(std::span<const std::uint8_t>(bytes).first(3));
    ASSERT_TRUE(partial.u16(b));
    EXPECT_FALSE(partial.u16(b));  // one byte left: no read, no advance
    EXPECT_FALSE(partial.u32(c));
    EXPECT_EQ(partial.offset(), 2u);
}

TEST(WireReader, QuestionNameIsLowerCasedWithLabelOffsets) {
    const RawMessage m = RawMessage().name("I-1.ApI.Svc");
    WireReader r(m.bytes());
    QueryName name;
    ASSERT_EQ(r.read_question_name(name), NameStatus::ok);
    EXPECT_EQ(r.offset(), m.size());
    EXPECT_EQ(name.length, m.size());
    ASSERT_EQ(name.label_count, 3u);
    EXPECT_EQ(name.label(0), "i-1");
    EXPECT_EQ(name.label(1), "api");
    EXPECT_EQ(name.label(2), "svc");
    EXPECT_EQ(name.suffix(1), std::string_view("\3api\3svc\0", 9));
    EXPECT_EQ(name.suffix(3), std::string_view("\0", 1));
}

TEST(WireReader, RootQuestionName) {
    const std::vector<std::uint8_t> root{0};
    WireReader r(root);
    QueryName name;
    ASSERT_EQ(r.read_question_name(name), NameStatus::ok);
    EXPECT_EQ(name.length, 1u);
    EXPECT_EQ(name.label_count, 0u);
}

TEST(WireReader, QuestionNameRejections) {
    QueryName name;
    const std::vector<std::uint8_t> pointer{3, 'a', 'b', 'c', 0xc0, 0x00};
    EXPECT_EQ(WireReader(pointer).read_question_name(name), NameStatus::pointer);
    const std::vector<std::uint8_t> extended{0x41, 0};
    EXPECT_EQ(WireReader(extended).read_question_name(name), NameStatus::bad_label);
    const std::vector<std::uint8_t> reserved{0x80, 0};
    EXPECT_EQ(WireReader(reserved).read_question_name(name), NameStatus::bad_label);
    const std::vector<std::uint8_t> cut_label{3, 'a', 'b'};
    EXPECT_EQ(WireReader(cut_label).read_question_name(name), NameStatus::truncated);
    const std::vector<std::uint8_t> no_root{3, 'a', 'b', 'c'};
    EXPECT_EQ(WireReader(no_root).read_question_name(name), NameStatus::truncated);
    EXPECT_EQ(WireReader({}).read_question_name(name), NameStatus::truncated);
    // 128 one-byte labels: 256 bytes with the root.
    RawMessage many;
    for (int i = 0; i < 128; ++i) many.u8(1).u8('a');
    many.u8(0);
    EXPECT_EQ(WireReader(many.bytes()).read_question_name(name), NameStatus::too_long);
}

TEST(WireReader, SkipNameFollowsBackwardPointers) {
    // "svc" at 0, then "api" + pointer to 0 at 5, then a name that is just a pointer to 5.
    const std::vector<std::uint8_t> m{3, 's', 'v', 'c', 0, 3, 'a', 'p', 'i', 0xc0, 0, 0xc0, 5, 0xff};
    WireReader r(m);
    ASSERT_EQ(r.skip_name(), NameStatus::ok);
    EXPECT_EQ(r.offset(), 5u);
    ASSERT_EQ(r.skip_name(), NameStatus::ok);
    EXPECT_EQ(r.offset(), 11u);  // reading resumes after the first pointer
    ASSERT_EQ(r.skip_name(), NameStatus::ok);
    EXPECT_EQ(r.offset(), 13u);
}

TEST(WireReader, SkipNameRejectsLoopsAndBadPointers) {
    const std::vector<std::uint8_t> self{0, 0xc0, 1};
    WireReader a(self);
    a.skip(1);
    EXPECT_EQ(a.skip_name(), NameStatus::bad_pointer);

    const std::vector<std::uint8_t> forward{0xc0, 2, 0};
    EXPECT_EQ(WireReader(forward).skip_name(), NameStatus::bad_pointer);

    const std::vector<std::uint8_t> outside{0, 0xc0, 0xff};
    WireReader b(outside);
    b.skip(1);
    EXPECT_EQ(b.skip_name(), NameStatus::bad_pointer);

    // A label that runs into the pointer that jumped to it: every pointer points backwards,
    // yet it loops. The hop cap (128) ends it before the length cap would (2 bytes a round).
    const std::vector<std::uint8_t> loop{1, 'a', 0xc0, 0};
    WireReader c(loop);
    c.skip(2);
    EXPECT_EQ(c.skip_name(), NameStatus::bad_pointer);
    // With longer labels the length cap comes first.
    const std::vector<std::uint8_t> long_loop{9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 0xc0, 0};
    WireReader d(long_loop);
    d.skip(10);
    EXPECT_EQ(d.skip_name(), NameStatus::too_long);

    const std::vector<std::uint8_t> half_pointer{0xc0};
    EXPECT_EQ(WireReader(half_pointer).skip_name(), NameStatus::truncated);
}

TEST(WireReader, SkipNameCapsPointerHops) {
    // A root name, then 200 pointers each to the one before: legal-looking, but no honest
    // encoder chains pointers, and following them all is work an attacker chooses.
    std::vector<std::uint8_t> m{0};
    for (int i = 0; i < 200; ++i) {
        const std::size_t prev = i == 0 ? 0 : m.size() - 2;
        m.push_back(static_cast<std::uint8_t>(0xc0 | prev >> 8));
        m.push_back(static_cast<std::uint8_t>(prev));
    }
    WireReader r(m);
    r.skip(m.size() - 2);
    EXPECT_EQ(r.skip_name(), NameStatus::bad_pointer);
    WireReader shortchain(m);
    shortchain.skip(1 + 2 * 9);  // the tenth pointer: ten hops
    EXPECT_EQ(shortchain.skip_name(), NameStatus::ok);
}

TEST(WireReader, SkipNameCapsExpandedLength) {
    // 100 bytes of labels, then pointers that repeat them: 3 * 100 > 255.
    RawMessage m;
    for (int i = 0; i < 10; ++i) m.raw({9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'});
    m.u8(0);
    const std::size_t second = m.size();
    for (int i = 0; i < 10; ++i) m.raw({9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'});
    m.raw({0xc0, 0});
    const std::size_t third = m.size();
    for (int i = 0; i < 10; ++i) m.raw({9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'});
    m.raw({0xc0, static_cast<std::uint8_t>(second)});
    WireReader r(m.bytes());
    r.skip(second);
    EXPECT_EQ(r.skip_name(), NameStatus::ok);  // 201 bytes
    WireReader too_long(m.bytes());
    too_long.skip(third);
    EXPECT_EQ(too_long.skip_name(), NameStatus::too_long);
}

}  // namespace
}  // namespace dnsd::zones
