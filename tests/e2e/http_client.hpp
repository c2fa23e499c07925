#pragma once
// A small synchronous HTTP/1.1 client for talking to dnsd's side-port as a user would.
// Every request has a deadline: a hung server fails the test instead of hanging it.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

namespace dnsd::e2e {

struct HttpResponse {
    unsigned status = 0;                        // 0: no response (connection failed, timed out)
    std::map<std::string, std::string> headers; // names lower-cased
    std::string body;
    std::string failure;                        // why status is 0

    // The body as JSON, or nullopt when it is not JSON.
    std::optional<boost::json::value> json() const;
    std::string header(const std::string& lower_case_name) const;
};

struct HttpRequest {
    std::string method = "GET";
    std::string target = "/";
    std::string body;
    std::map<std::string, std::string> headers;  // e.g. {"Authorization", "Bearer x"}
    std::chrono::milliseconds timeout{5000};     // for the whole exchange
};

HttpResponse http_request(std::uint16_t port, const HttpRequest& request);

// Shorthands for the common cases against 127.0.0.1:port.
HttpResponse http_get(std::uint16_t port, const std::string& target,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
HttpResponse http_post_json(std::uint16_t port, const std::string& target, const std::string& body,
                            std::map<std::string, std::string> headers = {});
HttpResponse http_delete(std::uint16_t port, const std::string& target,
                         std::map<std::string, std::string> headers = {});

}  // namespace dnsd::e2e
