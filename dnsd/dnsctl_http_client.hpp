#pragma once
// One HTTP/1.1 exchange with one dnsd side-port (Boost.Beast), bounded by a deadline and, when
// asked, cut short by SIGTERM/SIGINT (a 30 s blocking query must not delay a stop).
#include <chrono>
#include <string>

#include "dnsd/dnsctl_address.hpp"

namespace dnsd::ctl {

struct HttpCall {
    std::string method = "GET";  // GET, POST, DELETE
    std::string target = "/";
    std::string body;            // sent as application/json when not empty
    std::string token;           // Authorization: Bearer, when not empty
    std::chrono::milliseconds timeout{5000};
    bool interruptible = true;   // false for the deregistration that a stop itself triggers
};

struct HttpAnswer {
    unsigned status = 0;  // 0: no answer, see failure
    std::string body;
    std::string failure;  // "connection refused", "no answer within 5 s", ...
    bool interrupted = false;
};

HttpAnswer http_exchange(const Endpoint& server, const HttpCall& call);

}  // namespace dnsd::ctl
