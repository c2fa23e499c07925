#include "dnsd/http_reply.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace dnsd {
namespace {

TEST(HttpReply, JsonReplyIsJsonWithNewline) {
    const HttpReply reply = json_reply(200, boost::json::object{{"status", "ok"}, {"index", 3}});
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.content_type, "application/json");
    EXPECT_EQ(reply.body, "{\"status\":\"ok\",\"index\":3}\n");
}

TEST(HttpReply, ErrorReplyCarriesOneSentence) {
    const HttpReply reply = error_reply(404, "there is no service \"x\"");
    EXPECT_EQ(reply.status, 404u);
    EXPECT_EQ(reply.content_type, "application/json");
    const auto body = boost::json::parse(reply.body).as_object();
    EXPECT_EQ(body.size(), 1u);
    EXPECT_EQ(body.at("error").as_string(), "there is no service \"x\"");
}

TEST(HttpReply, HeaderLookupIgnoresCase) {
    HttpReply reply;
    reply.headers.emplace_back("Allow", "GET, HEAD");
    ASSERT_NE(reply.header("allow"), nullptr);
    EXPECT_EQ(*reply.header("ALLOW"), "GET, HEAD");
    EXPECT_EQ(reply.header("X-Dnsd-Index"), nullptr);
}

}  // namespace
}  // namespace dnsd
