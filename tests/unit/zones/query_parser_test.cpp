// Each validation rule, one by one, in the order they run.
#include "zones/query_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "raw_message.hpp"

namespace dnsd::zones {
namespace {

using test::RawMessage;

RawMessage query_header(std::uint16_t qd = 1, std::uint16_t an = 0, std::uint16_t ns = 0,
                        std::uint16_t ar = 0, std::uint16_t flags = 0x0100) {
    return RawMessage().header(0xabcd, flags, qd, an, ns, ar);
}

QueryVerdict verdict(const std::vector<std::uint8_t>& message) {
    ParsedQuery parsed;
    return parse_query(message, parsed);
}

TEST(QueryParser, AcceptsAPlainQueryAndLowerCasesTheName) {
    const RawMessage m = query_header().question("Api.SVC", 33);
    ParsedQuery q;
    ASSERT_EQ(parse_query(m.bytes(), q), QueryVerdict::answer);
    EXPECT_EQ(q.id, 0xabcd);
    EXPECT_EQ(q.flags, 0x0100);
    EXPECT_EQ(q.qtype, 33);
    EXPECT_EQ(q.qclass, 1);
    EXPECT_TRUE(q.question_ok);
    EXPECT_EQ(q.question_size, 9u + 4u);
    EXPECT_EQ(q.name.length, 9u);
    ASSERT_EQ(q.name.label_count, 2u);
    EXPECT_EQ(q.name.label(0), "api");
    EXPECT_EQ(q.name.label(1), "svc");
    EXPECT_FALSE(q.has_opt);
}

TEST(QueryParser, ShortHeaderIsDropped) {
    ParsedQuery q;
    EXPECT_EQ(check_header({}, q), HeaderCheck::too_short);
    const std::vector<std::uint8_t> eleven(11, 0);
    EXPECT_EQ(check_header(eleven, q), HeaderCheck::too_short);
    EXPECT_EQ(verdict(eleven), QueryVerdict::drop);
}

TEST(QueryParser, ResponsesAreDroppedBeforeAnythingElse) {
    // QR set with a bad opcode and no question: still silence, never an answer to an answer.
    const RawMessage m = query_header(0, 0, 0, 0, 0x8000 | (5 << 11));
    ParsedQuery q;
    EXPECT_EQ(check_header(m.bytes(), q), HeaderCheck::is_response);
    EXPECT_EQ(verdict(m), QueryVerdict::drop);
}

TEST(QueryParser, OpcodeOtherThanQueryIsNotImplemented) {
    for (std::uint16_t opcode : {1, 2, 4, 5, 15}) {
        const RawMessage m = query_header(0, 0, 0, 0, static_cast<std::uint16_t>(opcode << 11));
        ParsedQuery q;
        EXPECT_EQ(check_header(m.bytes(), q), HeaderCheck::not_query) << opcode;
        EXPECT_EQ(q.opcode, opcode);
        EXPECT_EQ(verdict(m), QueryVerdict::notimp);
    }
}

TEST(QueryParser, QdcountMustBeOne) {
    EXPECT_EQ(verdict(query_header(0)), QueryVerdict::formerr);
    const RawMessage two = query_header(2).question("a.svc").question("b.svc");
    ParsedQuery q;
    EXPECT_EQ(check_header(two.bytes(), q), HeaderCheck::bad_qdcount);
    EXPECT_EQ(verdict(two), QueryVerdict::formerr);
}

QuestionCheck question_of(const RawMessage& m, ParsedQuery& q) {
    WireReader reader(m.bytes());
    reader.skip(12);
    return read_question(reader, q);
}

TEST(QueryParser, QuestionNameRules) {
    ParsedQuery q;
    // A label type 01 (0x40, the obsolete extended label).
    EXPECT_EQ(question_of(query_header().raw({0x41, 'a', 0}).u16(1).u16(1), q), QuestionCheck::bad_label);
    // A pointer, even a well-formed one.
    EXPECT_EQ(question_of(query_header().raw({3, 'a', 'p', 'i', 0xc0, 0x0c}).u16(1).u16(1), q),
              QuestionCheck::compressed);
    // Pointers that loop (to themselves) or leave the message: refused before being followed.
    EXPECT_EQ(question_of(query_header().raw({0xc0, 0x0c}).u16(1).u16(1), q), QuestionCheck::compressed);
    EXPECT_EQ(question_of(query_header().raw({1, 'a', 0xff, 0xff}).u16(1).u16(1), q),
              QuestionCheck::compressed);
    // 256 bytes on the wire: four 62-byte labels (4 * 63), one of 2 (3), the root (1).
    const std::string l62(62, 'x');
    const std::string four = l62 + "." + l62 + "." + l62 + "." + l62;
    EXPECT_EQ(question_of(query_header().question(four + ".ab"), q), QuestionCheck::too_long);
    // Exactly 255 is fine.
    EXPECT_EQ(question_of(query_header().question(four + ".a"), q), QuestionCheck::ok);
    EXPECT_EQ(q.name.length, 255u);
    // Cut inside a label, before the type, inside the class.
    EXPECT_EQ(question_of(query_header().raw({5, 'a', 'b'}), q), QuestionCheck::truncated);
    EXPECT_EQ(question_of(query_header().name("api.svc"), q), QuestionCheck::truncated);
    EXPECT_EQ(question_of(query_header().name("api.svc").u16(1).u8(0), q), QuestionCheck::truncated);
    // Asking for the OPT pseudo-type.
    EXPECT_EQ(question_of(query_header().question("svc", 41), q), QuestionCheck::meta_type);

    EXPECT_EQ(verdict(query_header().raw({3, 'a', 'p', 'i', 0xc0, 0x0c}).u16(1).u16(1)),
              QueryVerdict::formerr);
}

TEST(QueryParser, AnswerOrAuthorityRecordsAreFormerr) {
    // An OPT placed in the answer section is one such record.
    const RawMessage in_answer = query_header(1, 1).question("svc").opt();
    EXPECT_EQ(check_sections(in_answer.bytes()), SectionCheck::has_answers);
    EXPECT_EQ(verdict(in_answer), QueryVerdict::formerr);
    const RawMessage in_authority = query_header(1, 0, 1).question("svc").opt();
    EXPECT_EQ(check_sections(in_authority.bytes()), SectionCheck::has_authority);
    EXPECT_EQ(verdict(in_authority), QueryVerdict::formerr);
}

AdditionalCheck additional_of(const RawMessage& m, ParsedQuery& q) {
    WireReader reader(m.bytes());
    reader.skip(12);
    EXPECT_EQ(read_question(reader, q), QuestionCheck::ok);
    return read_additional(reader, q);
}

TEST(QueryParser, ReadsOneOptAtTheRoot) {
    ParsedQuery q;
    // A cookie option (code 10, 8 bytes) is stepped over.
    const RawMessage m = query_header(1, 0, 0, 1).question("svc").opt(4096, 0, {0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8});
    EXPECT_EQ(additional_of(m, q), AdditionalCheck::ok);
    EXPECT_TRUE(q.has_opt);
    EXPECT_EQ(q.udp_size, 4096);
    EXPECT_EQ(verdict(m), QueryVerdict::answer);
}

TEST(QueryParser, OptMustBeAtTheRoot) {
    ParsedQuery q;
    RawMessage m = query_header(1, 0, 0, 1).question("svc");
    m.name("svc").u16(41).u16(1232).u32(0).u16(0);
    EXPECT_EQ(additional_of(m, q), AdditionalCheck::opt_not_root);
    EXPECT_FALSE(q.has_opt);
    EXPECT_EQ(verdict(m), QueryVerdict::formerr);
}

TEST(QueryParser, AtMostOneOpt) {
    ParsedQuery q;
    const RawMessage m = query_header(1, 0, 0, 2).question("svc").opt().opt();
    EXPECT_EQ(additional_of(m, q), AdditionalCheck::second_opt);
    EXPECT_FALSE(q.has_opt);  // a FORMERR reply must not pretend the OPT was fine
    EXPECT_EQ(verdict(m), QueryVerdict::formerr);
}

TEST(QueryParser, OptOptionsMustFillItsRdata) {
    ParsedQuery q;
    // An option header claiming 8 bytes with only 2 present, and a stray byte.
    EXPECT_EQ(additional_of(query_header(1, 0, 0, 1).question("svc").opt(1232, 0, {0, 10, 0, 8, 1, 2}), q),
              AdditionalCheck::bad_options);
    EXPECT_EQ(additional_of(query_header(1, 0, 0, 1).question("svc").opt(1232, 0, {0}), q),
              AdditionalCheck::bad_options);
}

TEST(QueryParser, EdnsVersionOtherThanZeroIsBadvers) {
    ParsedQuery q;
    const RawMessage m = query_header(1, 0, 0, 1).question("svc").opt(1232, 1);
    EXPECT_EQ(additional_of(m, q), AdditionalCheck::bad_version);
    EXPECT_TRUE(q.has_opt);  // the BADVERS reply carries an OPT
    EXPECT_EQ(q.edns_version, 1);
    EXPECT_EQ(verdict(m), QueryVerdict::badvers);
}

TEST(QueryParser, OtherAdditionalRecordsAreSteppedOverWithCompressedOwners) {
    ParsedQuery q;
    // An A record owned by a pointer to the question name, then the OPT.
    RawMessage m = query_header(1, 0, 0, 2).question("api.svc");
    m.raw({0xc0, 12}).u16(1).u16(1).u32(60).u16(4).raw({10, 0, 0, 1}).opt();
    EXPECT_EQ(additional_of(m, q), AdditionalCheck::ok);
    EXPECT_TRUE(q.has_opt);
}

TEST(QueryParser, BadNamesInAdditionalAreFormerr) {
    ParsedQuery q;
    // Pointer to itself (a loop), forward, out of the message.
    for (std::uint8_t low : {0, 0xff}) {
        RawMessage m = query_header(1, 0, 0, 1).question("api.svc");
        const auto here = static_cast<std::uint8_t>(m.size());
        m.raw({0xc0, low == 0 ? here : low}).u16(1).u16(1).u32(0).u16(0);
        EXPECT_EQ(additional_of(m, q), AdditionalCheck::malformed);
        EXPECT_EQ(verdict(m), QueryVerdict::formerr);
    }
    // Two pointers pointing at each other: the second points back at the first, which points
    // forward.
    RawMessage loop = query_header(1, 0, 0, 1).question("api.svc");
    const auto first = static_cast<std::uint8_t>(loop.size());
    loop.raw({0xc0, static_cast<std::uint8_t>(first + 2), 0xc0, first}).u16(1).u16(1).u32(0).u16(0);
    EXPECT_EQ(additional_of(loop, q), AdditionalCheck::malformed);
    // A record cut inside its rdata.
    RawMessage cut = query_header(1, 0, 0, 1).question("api.svc");
    cut.u8(0).u16(1).u16(1).u32(0).u16(4).raw({10, 0});
    EXPECT_EQ(additional_of(cut, q), AdditionalCheck::malformed);
    // ARCOUNT promises a record that is not there.
    EXPECT_EQ(additional_of(query_header(1, 0, 0, 1).question("api.svc"), q), AdditionalCheck::malformed);
}

TEST(QueryParser, TrailingBytesAreFormerr) {
    RawMessage m = query_header().question("svc");
    m.u8(0);
    WireReader reader(m.bytes());
    reader.skip(m.size() - 1);
    EXPECT_EQ(check_trailing(reader), TrailingCheck::trailing_bytes);
    EXPECT_EQ(verdict(m), QueryVerdict::formerr);
    RawMessage after_opt = query_header(1, 0, 0, 1).question("svc").opt();
    after_opt.raw({1, 2, 3});
    ParsedQuery q;
    EXPECT_EQ(parse_query(after_opt.bytes(), q), QueryVerdict::formerr);
    EXPECT_TRUE(q.has_opt);  // the FORMERR reply may still carry our OPT
}

TEST(QueryParser, ClassOtherThanInOrChAndTransfersAreRefused) {
    ParsedQuery q;
    for (std::uint16_t cls : {2, 4, 254, 255}) {
        EXPECT_EQ(verdict(query_header().question("svc", 6, cls)), QueryVerdict::refused) << cls;
    }
    // CHAOS goes on to the look-up, which knows the few names a server answers about itself.
    EXPECT_EQ(verdict(query_header().question("version.bind", 16, 3)), QueryVerdict::answer);
    q.qclass = 1;
    q.qtype = 252;
    EXPECT_EQ(check_scope(q), ScopeCheck::zone_transfer);
    q.qtype = 251;
    EXPECT_EQ(check_scope(q), ScopeCheck::zone_transfer);
    q.qtype = 1;
    q.qclass = 4;
    EXPECT_EQ(check_scope(q), ScopeCheck::other_class);
    q.qclass = 3;
    EXPECT_EQ(check_scope(q), ScopeCheck::ok);
    q.qtype = 252;
    EXPECT_EQ(check_scope(q), ScopeCheck::zone_transfer);
}

TEST(QueryParser, RulesRunInOrder) {
    // A bad opcode with a broken question: NOTIMP, the question is never looked at.
    EXPECT_EQ(verdict(query_header(1, 0, 0, 0, 4 << 11).raw({0xc0, 0xff})), QueryVerdict::notimp);
    // Version 1 with trailing bytes: BADVERS, as the OPT is judged before the end.
    RawMessage m = query_header(1, 0, 0, 1).question("svc").opt(1232, 1);
    m.u8(0);
    EXPECT_EQ(verdict(m), QueryVerdict::badvers);
    // A valid question in class CH with an answer record: FORMERR before REFUSED.
    EXPECT_EQ(verdict(query_header(1, 1).question("svc", 1, 3)), QueryVerdict::formerr);
}

}  // namespace
}  // namespace dnsd::zones
