// read_lowered_name against WireReader::read_question_name, the reference it replaces on the
// query path: the same status for every input, and on success the same bytes, labels and end.
#include "zones/lowered_name.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "zones/wire_reader.hpp"

namespace dnsd::zones {
namespace {

void expect_same_as_reference(const std::vector<std::uint8_t>& message, std::size_t at) {
    WireReader reader(message);
    ASSERT_TRUE(reader.skip(at));
    QueryName expected;
    const NameStatus reference = reader.read_question_name(expected);
    QueryName got;
    std::size_t end = 0;
    const NameStatus status = read_lowered_name(message, at, got, end);
    ASSERT_EQ(status, reference);
    if (status != NameStatus::ok) return;
    EXPECT_EQ(end, reader.offset());
    ASSERT_EQ(got.length, expected.length);
    ASSERT_EQ(got.label_count, expected.label_count);
    for (std::size_t i = 0; i < got.length; ++i) ASSERT_EQ(got.wire[i], expected.wire[i]) << "byte " << i;
    for (std::size_t i = 0; i < got.label_count; ++i) ASSERT_EQ(got.label_at[i], expected.label_at[i]);
}

TEST(LoweredName, LowerCasesOnlyAsciiLettersInEveryPosition) {
    // Every byte value inside a label, at every position of a word: letters are lowered,
    // '@' '[' '`' '{' and bytes with the high bit set ('A' + 0x80 included) are not.
    for (int c = 1; c < 256; ++c) {
        for (std::size_t pos = 0; pos < 20; ++pos) {
            std::vector<std::uint8_t> m{20};
            for (std::size_t i = 0; i < 20; ++i) m.push_back(i == pos ? static_cast<std::uint8_t>(c) : 'Q');
            m.insert(m.end(), {3, 's', 'V', 'c', 0});
            ASSERT_NO_FATAL_FAILURE(expect_same_as_reference(m, 0)) << "byte " << c << " at " << pos;
        }
    }
    const std::vector<std::uint8_t> mixed{3, 'A', 'p', 'I', 3, 'S', 'V', 'C', 0};
    QueryName name;
    std::size_t end = 0;
    ASSERT_EQ(read_lowered_name(mixed, 0, name, end), NameStatus::ok);
    EXPECT_EQ(name.label(0), "api");
    EXPECT_EQ(name.label(1), "svc");
    EXPECT_EQ(end, mixed.size());
}

TEST(LoweredName, EdgesOfLengthAndStructure) {
    expect_same_as_reference({0}, 0);                       // the root
    expect_same_as_reference({}, 0);                        // nothing
    expect_same_as_reference({1, 'A'}, 0);                  // no root byte
    expect_same_as_reference({5, 'a', 'b'}, 0);             // label past the end
    expect_same_as_reference({0xc0, 12}, 0);                // compressed
    expect_same_as_reference({0x40, 'a', 0}, 0);            // extended label type
    expect_same_as_reference({2, 'a', 'b', 0x80, 0}, 0);    // reserved label type later
    // 255 bytes exactly, and one more.
    for (const std::size_t total : {254u, 255u, 256u}) {
        std::vector<std::uint8_t> m;
        while (m.size() + 64 + 1 <= total) {
            m.push_back(63);
            m.insert(m.end(), 63, 'X');
        }
        const std::size_t rest = total - m.size() - 1;
        if (rest > 0) {
            m.push_back(static_cast<std::uint8_t>(rest - 1));
            m.insert(m.end(), rest - 1, 'y');
        }
        m.push_back(0);
        expect_same_as_reference(m, 0);
    }
}

TEST(LoweredName, RandomNamesAndCorruptionsMatchTheReader) {
    std::mt19937 rng(20261121);
    for (int round = 0; round < 20'000; ++round) {
        std::vector<std::uint8_t> m(12, 0);  // a header's worth of bytes before the name
        const int labels = static_cast<int>(rng() % 8);
        for (int l = 0; l < labels; ++l) {
            const std::uint8_t len = static_cast<std::uint8_t>(1 + rng() % (round % 3 == 0 ? 63 : 12));
            m.push_back(len);
            for (int i = 0; i < len; ++i) m.push_back(static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() % 256 : 'A' + rng() % 58));
        }
        m.push_back(0);
        for (int extra = static_cast<int>(rng() % 6); extra > 0; --extra) m.push_back(static_cast<std::uint8_t>(rng()));
        if (rng() % 3 == 0) m[12 + rng() % (m.size() - 12)] = static_cast<std::uint8_t>(rng());
        if (rng() % 5 == 0) m.resize(12 + rng() % (m.size() - 12 + 1));
        ASSERT_NO_FATAL_FAILURE(expect_same_as_reference(m, 12)) << "round " << round;
    }
}

}  // namespace
}  // namespace dnsd::zones
