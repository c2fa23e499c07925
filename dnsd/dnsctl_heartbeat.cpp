// dnsctl heartbeat: the sidecar loop. Registers, renews every --every, fails over between
// --server nodes, and deregisters on SIGTERM/SIGINT.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <optional>

#include "dnsd/dnsctl_commands.hpp"
#include "dnsd/dnsctl_heartbeat_body.hpp"
#include "dnsd/dnsctl_interrupt.hpp"
#include "dnsd/dnsctl_servers.hpp"

namespace dnsd::ctl {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Accepted {
    std::string id;
    std::string result;  // created, updated, renewed, stale (dnsd's extension of the answer)
};

Accepted accepted_from(const std::string& body, const InstanceSpec& instance) {
    Accepted accepted{instance.id.value_or(""), ""};
    boost::system::error_code ec;
    const auto value = boost::json::parse(body, ec);
    if (ec || !value.is_object()) return accepted;
    const auto& object = value.as_object();
    if (const auto* id = object.if_contains("id"); id && id->is_string()) accepted.id = id->get_string();
    if (const auto* result = object.if_contains("result"); result && result->is_string())
        accepted.result = result->get_string();
    return accepted;
}

// A 4xx means the request itself is wrong (bad field, bad token): retrying cannot help, except
// for a request timeout or rate limit.
bool permanent(const ServerAnswer& answer) {
    return answer.status >= 400 && answer.status < 500 && answer.status != 408 && answer.status != 429;
}

std::string seconds_text(std::chrono::milliseconds d) {
    return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + " s" : std::to_string(d.count()) + " ms";
}

int deregister_on_stop(ServerPool& pool, const HeartbeatCommand& command, const std::string& id) {
    const std::string& service = command.instance.service;
    HttpCall call{"DELETE", "/v1/instances/" + service + "/" + id, "", command.common.token,
                  command.common.timeout, false};
    const ServerAnswer answer = pool.send(call);
    if (answer.ok()) {
        spdlog::info("deregistered {}/{} on {}", service, id, answer.server.to_string());
        return 0;
    }
    if (answer.status == 404) {
        spdlog::info("{}/{} was already gone on {}", service, id, answer.server.to_string());
        return 0;
    }
    spdlog::error("could not deregister {}/{}: {}; it leaves DNS when its lease runs out", service, id,
                  describe_failure(answer));
    return 1;
}

}  // namespace

int run_heartbeat(const HeartbeatCommand& command) {
    install_stop_signals();
    ServerPool pool(command.common.servers);
    const InstanceSpec& instance = command.instance;
    const std::string body = boost::json::serialize(heartbeat_body(instance));
    const HttpCall call{"POST", "/v1/heartbeat", body, command.common.token, command.common.timeout, true};
    const std::chrono::milliseconds first_retry = std::min<std::chrono::milliseconds>(command.every, 1s);

    std::optional<std::string> registered_id;  // dnsd derives it when --id is absent
    std::optional<std::string> registered_on;
    std::chrono::milliseconds retry = first_retry;
    while (!stop_requested()) {
        const auto started = Clock::now();
        const ServerAnswer answer = pool.send(call);
        if (answer.interrupted) break;
        std::chrono::milliseconds wait = command.every;
        if (answer.ok()) {
            const Accepted accepted = accepted_from(answer.body, instance);
            const std::string where = answer.server.to_string();
            if (command.once) {
                spdlog::info("registered {}/{} on {} (ttl {} s)", instance.service, accepted.id, where,
                             instance.ttl_s);
            } else if (!registered_id) {
                spdlog::info("registered {}/{} on {} (ttl {} s, renewing every {})", instance.service, accepted.id,
                             where, instance.ttl_s, seconds_text(command.every));
            } else if (accepted.result == "created") {
                spdlog::warn("{} did not know {}/{} (restarted, or a fail-over): registered it again", where,
                             instance.service, accepted.id);
            } else if (registered_on != where) {
                spdlog::info("renewing {}/{} on {} now", instance.service, accepted.id, where);
            } else {
                spdlog::debug("renewed {}/{} on {} ({})", instance.service, accepted.id, where, accepted.result);
            }
            registered_id = accepted.id;
            registered_on = where;
            retry = first_retry;
            if (command.once) {
                std::cout << accepted.id << std::endl;
                return 0;
            }
            wait -= std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        } else if (permanent(answer)) {
            spdlog::error("heartbeat refused: {}", describe_failure(answer));
            return 1;
        } else {
            spdlog::error("heartbeat failed: {}", describe_failure(answer));
            if (command.once) return 1;
            // Retry sooner than --every (the lease is running), backing off up to --every.
            wait = retry;
            retry = std::min(retry * 2, command.every);
        }
        if (!sleep_unless_stopped(std::max(wait, std::chrono::milliseconds(0)))) break;
    }
    if (!registered_id) {
        spdlog::info("stopped before any registration: nothing to deregister");
        return 0;
    }
    return deregister_on_stop(pool, command, *registered_id);
}

}  // namespace dnsd::ctl
