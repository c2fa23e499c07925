#include "dnsd/http_reply.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/serialize.hpp>

namespace dnsd {

namespace {
bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}
}  // namespace

const std::string* HttpReply::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (equal_ignoring_case(key, name)) return &value;
    return nullptr;
}

HttpReply json_reply(unsigned status, const boost::json::value& body) {
    HttpReply reply;
    reply.status = status;
    reply.body = boost::json::serialize(body);
    reply.body += '\n';
    return reply;
}

HttpReply error_reply(unsigned status, std::string_view message) {
    return json_reply(status, boost::json::object{{"error", message}});
}

}  // namespace dnsd
