#include "dnsd/gossip_auth.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

// A named namespace of its own: the test target is a unity build.
namespace dnsd::gossip_auth_test {
namespace {

const GossipKey kKey{"0123456789abcdef0123"};
const GossipKey kOtherKey{"0123456789abcdef0124"};

// Computed once with:
//   printf '1770000000000\n00000000000000ff\nPOST /v1/gossip\n{"x":1}' |
//       openssl dgst -sha256 -hmac '0123456789abcdef0123'
TEST(GossipMac, MatchesOpensslCommandLine) {
    EXPECT_EQ(gossip_mac(kKey, "1770000000000", "00000000000000ff", "POST", "/v1/gossip",
                         R"({"x":1})"),
              "bb8b9ca6debc2754a6853f5a9e559d74e73762094ea34dbe3d902ede35fc7ad9");
    EXPECT_EQ(gossip_mac(kKey, "1770000000000", "00000000000000ff", "REPLY", "/v1/gossip", ""),
              "3ab3b0dca50f4f6c50e161d09fa68ffc5b2c11fac456ff2e56558014b38db594");
}

TEST(GossipKeyFile, ContentsAreTrimmedAndMustBeSixteenBytes) {
    auto good = parse_gossip_key("  0123456789abcdef\n");
    ASSERT_TRUE(std::holds_alternative<GossipKey>(good));
    EXPECT_EQ(std::get<GossipKey>(good).secret, "0123456789abcdef");

    auto short_key = parse_gossip_key("0123456789abcde\n\n");
    ASSERT_TRUE(std::holds_alternative<std::string>(short_key));
    EXPECT_NE(std::get<std::string>(short_key).find("at least 16 bytes"), std::string::npos);
    EXPECT_TRUE(std::holds_alternative<std::string>(parse_gossip_key(" \n")));
}

TEST(GossipKeyFile, LoadRefusesShortOrMissingFilesWithTheOptionInTheMessage) {
    const auto dir = std::filesystem::temp_directory_path() / "dnsd-gossip-auth-test";
    std::filesystem::create_directories(dir);
    const auto file = dir / "key";
    std::ofstream(file) << "short\n";
    try {
        load_gossip_key(file);
        FAIL() << "a 5-byte key was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("--gossip-key-file"), std::string::npos) << e.what();
    }
    std::ofstream(file) << "a-long-enough-shared-secret\n";
    EXPECT_EQ(load_gossip_key(file).secret, "a-long-enough-shared-secret");
    EXPECT_THROW(load_gossip_key(dir / "absent"), std::runtime_error);
    std::filesystem::remove_all(dir);
}

TEST(GossipAuthHeader, ParsesOnlyTheExactFormat) {
    const std::string mac(64, 'a');
    const auto fields = parse_gossip_auth("t=17,n=00000000000000ff,mac=" + mac);
    ASSERT_TRUE(fields);
    EXPECT_EQ(fields->t, "17");
    EXPECT_EQ(fields->nonce, "00000000000000ff");
    EXPECT_EQ(format_gossip_auth(*fields), "t=17,n=00000000000000ff,mac=" + mac);

    for (const std::string& bad : std::vector<std::string>{
             "", "t=17", "t=17,n=00000000000000ff", "t=,n=00000000000000ff,mac=" + mac,
             "t=-1,n=00000000000000ff,mac=" + mac, "t=17,n=ff,mac=" + mac,
             "t=17,n=00000000000000FF,mac=" + mac, "t=17,n=00000000000000ff,mac=" + mac + "a",
             "t=17,n=00000000000000ff,mac=" + mac + ",x=1", "n=00000000000000ff,t=17,mac=" + mac,
             "t=12345678901234567890,n=00000000000000ff,mac=" + mac})
        EXPECT_FALSE(parse_gossip_auth(bad)) << bad;
}

class GossipAuthTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    GossipAuth sender{kKey, clock};
    GossipAuth receiver{kKey, clock};
};

TEST_F(GossipAuthTest, SignedRequestIsAcceptedOnce) {
    const auto signature = sender.sign_request("POST", "/v1/gossip", "body");
    EXPECT_EQ(signature.nonce.size(), 16u);
    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/gossip", "body"), std::nullopt);
    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/gossip", "body"),
              GossipAuthFailure::replayed);
    EXPECT_EQ(receiver.counters().replayed, 1u);
    EXPECT_EQ(receiver.counters().total(), 1u);
}

TEST_F(GossipAuthTest, TwoRequestsGetDifferentNonces) {
    EXPECT_NE(sender.sign_request("POST", "/v1/gossip", "b").nonce,
              sender.sign_request("POST", "/v1/gossip", "b").nonce);
}

TEST_F(GossipAuthTest, ReplayIsRefusedWhateverTheClocksSay) {
    const auto signature = sender.sign_request("POST", "/v1/gossip", "body");
    clock.advance_ms(9 * 60 * 1000);
    clock.set_wall_ms(0);  // the sender's timestamp is never compared with ours
    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/gossip", "body"), std::nullopt);
    clock.advance_ms(9 * 60 * 1000);
    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/gossip", "body"),
              GossipAuthFailure::replayed);
}

TEST_F(GossipAuthTest, TamperedPartsAreRefused) {
    const auto signature = sender.sign_request("POST", "/v1/gossip", "body");
    auto fields = *parse_gossip_auth(signature.header);

    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/gossip", "bodY"),
              GossipAuthFailure::bad_mac);
    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/other", "body"),
              GossipAuthFailure::bad_mac);
    EXPECT_EQ(receiver.check_request(signature.header, "PUT", "/v1/gossip", "body"),
              GossipAuthFailure::bad_mac);

    auto other_t = fields;
    other_t.t += "1";
    EXPECT_EQ(receiver.check_request(format_gossip_auth(other_t), "POST", "/v1/gossip", "body"),
              GossipAuthFailure::bad_mac);
    auto other_n = fields;
    other_n.nonce[0] = other_n.nonce[0] == '0' ? '1' : '0';
    EXPECT_EQ(receiver.check_request(format_gossip_auth(other_n), "POST", "/v1/gossip", "body"),
              GossipAuthFailure::bad_mac);
    auto other_mac = fields;
    other_mac.mac[63] = other_mac.mac[63] == '0' ? '1' : '0';
    EXPECT_EQ(receiver.check_request(format_gossip_auth(other_mac), "POST", "/v1/gossip", "body"),
              GossipAuthFailure::bad_mac);

    EXPECT_EQ(receiver.counters().bad_mac, 6u);
    // None of the forgeries used up the nonce: the genuine request still goes through.
    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/gossip", "body"), std::nullopt);
}

TEST_F(GossipAuthTest, AnotherKeyIsRefused) {
    GossipAuth stranger{kOtherKey, clock};
    const auto signature = stranger.sign_request("POST", "/v1/gossip", "body");
    EXPECT_EQ(receiver.check_request(signature.header, "POST", "/v1/gossip", "body"),
              GossipAuthFailure::bad_mac);
}

TEST_F(GossipAuthTest, MissingAndMalformedHeadersAreRefusedAndCounted) {
    EXPECT_EQ(receiver.check_request("", "POST", "/v1/gossip", "body"),
              GossipAuthFailure::missing);
    EXPECT_EQ(receiver.check_request("t=1,n=2,mac=3", "POST", "/v1/gossip", "body"),
              GossipAuthFailure::malformed);
    EXPECT_EQ(receiver.counters().missing, 1u);
    EXPECT_EQ(receiver.counters().malformed, 1u);
    std::uint64_t listed = 0;
    for (const auto reason : kGossipAuthFailures) listed += receiver.counters().of(reason);
    EXPECT_EQ(listed, 2u);
    EXPECT_EQ(receiver.counters().of(GossipAuthFailure::malformed), 1u);
    EXPECT_EQ(to_string(GossipAuthFailure::bad_mac), "bad_mac");
}

TEST_F(GossipAuthTest, ReplyMustBeSignedAndEchoTheRequestNonce) {
    const auto request = sender.sign_request("POST", "/v1/gossip", "pull");
    ASSERT_EQ(receiver.check_request(request.header, "POST", "/v1/gossip", "pull"), std::nullopt);
    const std::string reply = receiver.sign_reply(GossipAuth::nonce_of(request.header),
                                                  "/v1/gossip", "answer");
    EXPECT_EQ(sender.check_reply(reply, request.nonce, "/v1/gossip", "answer"), std::nullopt);
    // The same reply again is fine for the client: it matches its own request only.
    EXPECT_EQ(sender.check_reply(reply, request.nonce, "/v1/gossip", "answer"), std::nullopt);

    const auto later = sender.sign_request("POST", "/v1/gossip", "pull");
    EXPECT_EQ(sender.check_reply(reply, later.nonce, "/v1/gossip", "answer"),
              GossipAuthFailure::wrong_reply);
    EXPECT_EQ(sender.check_reply(reply, request.nonce, "/v1/gossip", "answer!"),
              GossipAuthFailure::bad_mac);
    EXPECT_EQ(sender.check_reply("", request.nonce, "/v1/gossip", "answer"),
              GossipAuthFailure::missing);
    // A request's signature is no reply's: the method differs.
    EXPECT_EQ(sender.check_reply(request.header, request.nonce, "/v1/gossip", "pull"),
              GossipAuthFailure::bad_mac);
}

TEST(GossipAuthWithoutKey, RequiresNothingAcceptsSignedAndSignsNothing) {
    registry::ManualClock clock;
    GossipAuth open{std::nullopt, clock};
    GossipAuth keyed{kKey, clock};
    EXPECT_FALSE(open.enabled());
    EXPECT_EQ(open.check_request("", "POST", "/v1/gossip", "b"), std::nullopt);
    EXPECT_EQ(open.check_request("garbage", "POST", "/v1/gossip", "b"), std::nullopt);
    const auto signed_request = keyed.sign_request("POST", "/v1/gossip", "b");
    EXPECT_EQ(open.check_request(signed_request.header, "POST", "/v1/gossip", "b"), std::nullopt);
    EXPECT_EQ(open.check_reply("", "", "/v1/gossip", "b"), std::nullopt);
    EXPECT_TRUE(open.sign_request("POST", "/v1/gossip", "b").header.empty());
    EXPECT_TRUE(open.sign_reply("00000000000000ff", "/v1/gossip", "b").empty());
    EXPECT_EQ(open.counters().total(), 0u);
}

}  // namespace
}  // namespace dnsd::gossip_auth_test
