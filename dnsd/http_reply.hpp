#pragma once
// What a handler answers, before it becomes a Beast response: plain data, so handlers are
// tested without sockets and the server alone knows about the wire.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace dnsd {

inline constexpr std::string_view kJsonType = "application/json";
inline constexpr std::string_view kPrometheusType = "text/plain; version=0.0.4; charset=utf-8";

struct HttpReply {
    unsigned status = 200;
    std::string content_type{kJsonType};
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra: Allow, X-Dnsd-Index, ...

    const std::string* header(std::string_view name) const;  // case-insensitive; null if absent
};

// The body is the serialized value followed by a newline, for people reading it with curl.
HttpReply json_reply(unsigned status, const boost::json::value& body);
// SPEC.md: every error is {"error": "<one clear sentence>"}.
HttpReply error_reply(unsigned status, std::string_view message);

}  // namespace dnsd
