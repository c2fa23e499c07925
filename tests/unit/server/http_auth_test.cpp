#include "dnsd/http_auth.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

TEST(BearerToken, MatchesTheExactToken) {
    EXPECT_TRUE(bearer_token_matches("Bearer s3cret", "s3cret"));
    EXPECT_TRUE(bearer_token_matches("bearer s3cret", "s3cret"));  // scheme is case-insensitive
    EXPECT_TRUE(bearer_token_matches("BEARER   s3cret  ", "s3cret"));
}

TEST(BearerToken, RefusesEverythingElse) {
    EXPECT_FALSE(bearer_token_matches("", "s3cret"));
    EXPECT_FALSE(bearer_token_matches("Bearer", "s3cret"));
    EXPECT_FALSE(bearer_token_matches("Bearer ", "s3cret"));
    EXPECT_FALSE(bearer_token_matches("s3cret", "s3cret"));
    EXPECT_FALSE(bearer_token_matches("Basic s3cret", "s3cret"));
    EXPECT_FALSE(bearer_token_matches("Bearer S3CRET", "s3cret"));  // the token is not
    EXPECT_FALSE(bearer_token_matches("Bearer s3cre", "s3cret"));
    EXPECT_FALSE(bearer_token_matches("Bearer s3crets", "s3cret"));
    EXPECT_FALSE(bearer_token_matches("Bearers3cret", "s3cret"));
}

TEST(CheckBearer, NoTokenConfiguredLetsEverythingThrough) {
    EXPECT_FALSE(check_bearer("", "").has_value());
    EXPECT_FALSE(check_bearer("", "Bearer whatever").has_value());
}

TEST(CheckBearer, MissingOrWrongTokenIs401WithChallenge) {
    const auto missing = check_bearer("s3cret", "");
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->status, 401u);
    EXPECT_EQ(missing->body,
              R"({"error":"this request needs the header 'Authorization: Bearer <token>'"})"
              "\n");
    ASSERT_NE(missing->header("www-authenticate"), nullptr);
    EXPECT_EQ(missing->header("WWW-Authenticate")->rfind("Bearer", 0), 0u);

    const auto wrong = check_bearer("s3cret", "Bearer guess");
    ASSERT_TRUE(wrong.has_value());
    EXPECT_EQ(wrong->status, 401u);
    EXPECT_NE(wrong->body.find("does not carry this node's bearer token"), std::string::npos);

    EXPECT_FALSE(check_bearer("s3cret", "Bearer s3cret").has_value());
}

}  // namespace
}  // namespace dnsd
