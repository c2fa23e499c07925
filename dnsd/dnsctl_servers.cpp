#include "dnsd/dnsctl_servers.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace dnsd::ctl {

ServerPool::ServerPool(std::vector<Endpoint> servers) : servers_(std::move(servers)) {
    if (servers_.empty()) throw std::invalid_argument("ServerPool needs at least one server");
}

ServerAnswer ServerPool::send(const HttpCall& call) {
    std::string reasons;
    ServerAnswer answer;
    for (std::size_t tried = 0; tried < servers_.size(); ++tried) {
        const Endpoint& server = servers_[current_];
        const HttpAnswer got = http_exchange(server, call);
        answer = ServerAnswer{server, got.status, got.body, {}, got.interrupted};
        if (got.interrupted) {
            answer.failure = "interrupted";
            return answer;
        }
        if (got.status != 0 && got.status < 500) return answer;
        const std::string reason =
            got.status == 0 ? "cannot reach " + server.to_string() + ": " + got.failure
                            : server.to_string() + " answered " + std::to_string(got.status) + ": " +
                                  error_text(got.status, got.body);
        reasons += (reasons.empty() ? "" : "; ") + reason;
        if (servers_.size() > 1) spdlog::warn("{}; trying the next server", reason);
        rotate();
    }
    answer.failure = reasons;
    return answer;
}

std::string error_text(unsigned status, const std::string& body) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(body, ec);
    if (!ec && value.is_object()) {
        if (const auto* error = value.as_object().if_contains("error"); error && error->is_string())
            return std::string(error->get_string());
    }
    std::string text = body.substr(0, 200);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    return text.empty() ? "HTTP " + std::to_string(status) : text;
}

std::string describe_failure(const ServerAnswer& answer) {
    if (answer.status == 0 || answer.status >= 500) return answer.failure;
    return error_text(answer.status, answer.body) + " (HTTP " + std::to_string(answer.status) + " from " +
           answer.server.to_string() + ")";
}

}  // namespace dnsd::ctl
