#pragma once
// The --server list with fail-over: a request goes to the current server; when that one is
// down (no connection, no answer in time, or a 5xx) the next is tried, once around the list.
// The server that answered stays current, so a sidecar sticks to a working node.
#include <string>
#include <vector>

#include "dnsd/dnsctl_address.hpp"
#include "dnsd/dnsctl_http_client.hpp"

namespace dnsd::ctl {

struct ServerAnswer {
    Endpoint server;       // who answered (or the last one tried)
    unsigned status = 0;   // 0: no server answered
    std::string body;
    std::string failure;   // when status is 0 or >= 500: every server's reason, in one sentence
    bool interrupted = false;

    bool ok() const { return status >= 200 && status < 300; }
};

class ServerPool {
public:
    explicit ServerPool(std::vector<Endpoint> servers);

    ServerAnswer send(const HttpCall& call);
    const Endpoint& current() const { return servers_[current_]; }
    // Moves on to the next server, e.g. when the current one lost our registration.
    void rotate() { current_ = (current_ + 1) % servers_.size(); }

private:
    std::vector<Endpoint> servers_;
    std::size_t current_ = 0;
};

// The "error" sentence of dnsd's JSON error body, else the body itself (shortened), else
// "HTTP <status>".
std::string error_text(unsigned status, const std::string& body);

// One sentence for a failed answer: "cannot reach 127.0.0.1:8054: connection refused", or the
// server's own error with its status.
std::string describe_failure(const ServerAnswer& answer);

}  // namespace dnsd::ctl
