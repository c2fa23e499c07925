#pragma once
// --auth-token-file: heartbeats and deregistrations must carry "Authorization: Bearer <token>".
#include <optional>
#include <string_view>

#include "dnsd/http_reply.hpp"

namespace dnsd {

// True when `authorization` (the header's value) is the Bearer scheme (any case, RFC 7235)
// with exactly `token`. The comparison takes the same time wherever the two differ, so the
// token cannot be guessed byte by byte from response times.
bool bearer_token_matches(std::string_view authorization, std::string_view token);

// nullopt when the request may go on: no token is configured, or it carries the right one.
// Otherwise the 401 to send, with "WWW-Authenticate: Bearer" as RFC 6750 asks.
std::optional<HttpReply> check_bearer(std::string_view required_token,
                                      std::string_view authorization);

}  // namespace dnsd
