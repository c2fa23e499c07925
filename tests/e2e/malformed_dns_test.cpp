// Malformed DNS queries: FORMERR or silence (NOTIMP for an unknown opcode), never a crash, and
// the server keeps answering good queries afterwards.
#include <random>
#include <string>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;

constexpr std::uint8_t kFormErr = 1;
constexpr std::uint8_t kNotImp = 4;

struct Malformed {
    const char* name;
    Bytes packet;
};

void PrintTo(const Malformed& m, std::ostream* out) { *out << m.name; }

Bytes good_query() { return encode_query(DnsQuestion("api.svc", LDNS_RR_TYPE_A)); }

Bytes header(std::uint16_t qdcount) {
    return {0x4a, 0x11, 0x00, 0x00, 0x00, static_cast<std::uint8_t>(qdcount), 0, 0, 0, 0, 0, 0};
}

Bytes append(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<Malformed> malformed_packets() {
    const Bytes good = good_query();
    const Bytes question(good.begin() + 12, good.end());
    Bytes qr_set = good;
    qr_set[2] |= 0x80;
    Bytes qd2_one_question = good;
    qd2_one_question[5] = 2;
    Bytes qd2_two_questions = append(good, question);
    qd2_two_questions[5] = 2;
    Bytes long_name = header(1);
    for (int label = 0; label < 5; ++label) {  // 5 * 64 = 320 bytes > 255
        long_name.push_back(63);
        long_name.insert(long_name.end(), 63, 'a');
    }
    long_name.insert(long_name.end(), {0, 0, 1, 0, 1});
    return {
        {"empty", {}},
        {"short_header", {0x12, 0x34, 0x01, 0x00, 0x00}},
        {"header_only", header(1)},
        {"qr_set", qr_set},
        {"qdcount_0", header(0)},
        {"qdcount_2_one_question", qd2_one_question},
        {"qdcount_2_two_questions", qd2_two_questions},
        {"pointer_loop", append(header(1), {0xc0, 0x0c, 0, 1, 0, 1})},
        {"pointer_out_of_bounds", append(header(1), {0xc0, 0xff, 0, 1, 0, 1})},
        {"label_past_the_end", append(header(1), {0x3f, 'a', 'b'})},
        {"name_without_end", append(header(1), {3, 'a', 'p', 'i'})},
        {"name_over_255_bytes", long_name},
        {"no_qtype", append(header(1), {3, 's', 'v', 'c', 0})},
        {"trailing_garbage", append(good, {0xde, 0xad, 0xbe, 0xef})},
        {"ancount_without_records", [&] { Bytes b = good; b[7] = 1; return b; }()},
    };
}

class MalformedDns : public DnsdTest {
protected:
    void SetUp() override {
        DnsdTest::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    }

    void expect_still_answering() {
        for (Transport transport : {Transport::udp, Transport::tcp}) {
            const DnsReply reply = dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_A, transport);
            ASSERT_TRUE(reply.ok()) << "a good query after the bad one: " << reply.failure();
            EXPECT_EQ(reply.answer(LDNS_RR_TYPE_A).size(), 1u) << reply.to_string();
        }
    }

    // A reply, when one comes, is a response with the query's ID and the given rcode.
    static void expect_reply_shape(const Bytes& sent, const Bytes& reply, std::uint8_t rcode) {
        ASSERT_GE(reply.size(), 12u) << "a reply shorter than a header";
        if (sent.size() >= 2) {
            EXPECT_EQ(reply[0], sent[0]);
            EXPECT_EQ(reply[1], sent[1]);
        }
        EXPECT_TRUE(reply[2] & 0x80) << "QR set in the reply";
        EXPECT_EQ(reply[3] & 0x0f, rcode);
    }
};

class MalformedUdp : public MalformedDns, public ::testing::WithParamInterface<Malformed> {};

TEST_P(MalformedUdp, GetsFormerrOrSilenceAndTheServerCarriesOn) {
    const Bytes& packet = GetParam().packet;
    const auto reply = udp_exchange(dns_port(), packet, 200ms);
    if (reply) expect_reply_shape(packet, *reply, kFormErr);
    expect_still_answering();
}

INSTANTIATE_TEST_SUITE_P(Packets, MalformedUdp, ::testing::ValuesIn(malformed_packets()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(MalformedDns, OpcodeOtherThanQueryIsNotimp) {
    for (std::uint8_t opcode : {1, 2, 5}) {  // IQUERY, STATUS, UPDATE
        Bytes query = good_query();
        query[2] = static_cast<std::uint8_t>((query[2] & 0x87) | (opcode << 3));
        const auto reply = udp_exchange(dns_port(), query, 1000ms);
        ASSERT_TRUE(reply.has_value()) << "opcode " << int(opcode) << ": SPEC.md says NOTIMP, got silence";
        expect_reply_shape(query, *reply, kNotImp);
        EXPECT_EQ((reply->at(2) >> 3) & 0x0f, opcode) << "the opcode is echoed";
    }
    expect_still_answering();
}

TEST_F(MalformedDns, GarbageOverTcpDoesNotHurt) {
    {
        TcpDnsConnection connection(dns_port(), 1000ms);
        ASSERT_TRUE(connection.connected());
        ASSERT_TRUE(connection.send_message({0x12, 0x34, 0x01}));
        // FORMERR or a closed connection; either way the server lives on.
        if (const auto reply = connection.receive_message(1000ms)) {
            EXPECT_GE(reply->size(), 12u);
        }
    }
    {
        // A length prefix promising more than ever comes, then the client goes away.
        TcpDnsConnection connection(dns_port(), 1000ms);
        ASSERT_TRUE(connection.connected());
        ASSERT_TRUE(connection.send_raw({0x01, 0x00, 0xab, 0xcd}));
    }
    {
        // A pointer loop over TCP.
        TcpDnsConnection connection(dns_port(), 1000ms);
        ASSERT_TRUE(connection.send_message(append(header(1), {0xc0, 0x0c, 0, 1, 0, 1})));
        if (const auto reply = connection.receive_message(1000ms)) {
            expect_reply_shape(append(header(1), {}), *reply, kFormErr);
        }
    }
    expect_still_answering();
}

TEST_F(MalformedDns, BurstOfRandomPacketsDoesNotHurt) {
    std::mt19937 random(20240611);  // fixed seed: a failure is reproducible
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 80);
    const Bytes good = good_query();
    for (int i = 0; i < 200; ++i) {
        Bytes packet;
        if (i % 2 == 0) {
            // A good query with a few bytes flipped reaches deeper into the parser.
            packet = good;
            for (int flips = 0; flips < 3; ++flips) {
                packet[static_cast<std::size_t>(byte(random)) % packet.size()] =
                    static_cast<std::uint8_t>(byte(random));
            }
        } else {
            packet.resize(static_cast<std::size_t>(length(random)));
            for (auto& b : packet) b = static_cast<std::uint8_t>(byte(random));
        }
        (void)udp_exchange(dns_port(), packet, 5ms);
    }
    expect_still_answering();
    EXPECT_EQ(http_get(http_port(), "/healthz").status, 200u);
}

}  // namespace
}  // namespace dnsd::e2e
