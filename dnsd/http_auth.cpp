#include "dnsd/http_auth.hpp"

#include <array>
#include <cctype>

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace dnsd {

namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

// Comparing digests rather than the strings hides the token's length as well.
Digest digest(std::string_view text) {
    Digest out{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_bearer_scheme(std::string_view scheme) {
    constexpr std::string_view kBearer = "bearer";
    if (scheme.size() != kBearer.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(scheme[i])) != kBearer[i]) return false;
    return true;
}

}  // namespace

bool bearer_token_matches(std::string_view authorization, std::string_view token) {
    authorization = trim(authorization);
    const auto space = authorization.find_first_of(" \t");
    if (space == std::string_view::npos) return false;
    if (!is_bearer_scheme(authorization.substr(0, space))) return false;
    const std::string_view presented = trim(authorization.substr(space));
    const Digest a = digest(presented);
    const Digest b = digest(token);
    return !presented.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<HttpReply> check_bearer(std::string_view required_token,
                                      std::string_view authorization) {
    if (required_token.empty() || bearer_token_matches(authorization, required_token))
        return std::nullopt;
    HttpReply reply = error_reply(
        401, authorization.empty()
                 ? "this request needs the header 'Authorization: Bearer <token>'"
                 : "the Authorization header does not carry this node's bearer token");
    reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dnsd\"");
    return reply;
}

}  // namespace dnsd
