// dnsctl watch SERVICE: Consul-style blocking queries on GET /v1/services/{service}, one line on
// stdout per change, until SIGINT/SIGTERM. Survives a service that does not exist yet and servers
// that go away (retries with backoff, fails over between --server nodes).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <iostream>

#include "dnsd/dnsctl_commands.hpp"
#include "dnsd/dnsctl_instance_diff.hpp"
#include "dnsd/dnsctl_interrupt.hpp"
#include "dnsd/dnsctl_servers.hpp"

namespace dnsd::ctl {

namespace {

using namespace std::chrono_literals;

std::uint64_t index_of(const boost::json::value& answer) {
    const auto* object = answer.if_object();
    const auto* index = object ? object->if_contains("index") : nullptr;
    if (index && index->is_uint64()) return index->get_uint64();
    if (index && index->is_int64() && index->get_int64() > 0) return static_cast<std::uint64_t>(index->get_int64());
    return 0;
}

void print_changes(const std::string& service, const std::vector<InstanceChange>& changes) {
    const auto now = std::chrono::system_clock::now();
    for (const auto& change : changes) std::cout << change_line(now, service, change) << '\n';
    std::cout << std::flush;
}

}  // namespace

int run_watch(const WatchCommand& command) {
    install_stop_signals();
    ServerPool pool(command.common.servers);
    const std::string path = "/v1/services/" + command.service;
    const auto wait_text = std::to_string(command.wait.count()) + "s";

    InstanceSet known;
    bool have_state = false;  // known holds a real answer (or "does not exist")
    std::uint64_t index = 0;
    bool said_missing = false;
    std::chrono::milliseconds backoff = 500ms;
    while (!stop_requested()) {
        // The first query (and every one after a failure) answers at once; the others block on
        // dnsd until the service's index passes `index` or the wait ends.
        const std::string target = have_state ? path + "?index=" + std::to_string(index) + "&wait=" + wait_text : path;
        const auto timeout = command.wait + command.common.timeout;
        const ServerAnswer answer = pool.send(HttpCall{"GET", target, "", "", timeout, true});
        if (answer.interrupted) break;
        if (answer.status == 0 || answer.status >= 500) {
            spdlog::warn("watch: {}; retrying in {} ms", describe_failure(answer), backoff.count());
            // Another node, or the same one restarted, numbers its index differently.
            index = 0;
            have_state = false;
            if (!sleep_unless_stopped(backoff)) break;
            backoff = std::min<std::chrono::milliseconds>(backoff * 2, 10s);
            continue;
        }
        backoff = 500ms;
        if (answer.status == 404) {
            print_changes(command.service, diff_instances(known, {}));
            known.clear();
            if (!said_missing)
                spdlog::info("watch: there is no service '{}' on {} (yet); waiting for it", command.service,
                             answer.server.to_string());
            said_missing = true;
            have_state = false;
            if (!sleep_unless_stopped(1s)) break;
            continue;
        }
        if (!answer.ok()) {
            spdlog::error("watch: {}", describe_failure(answer));
            return 1;
        }
        boost::system::error_code ec;
        const auto value = boost::json::parse(answer.body, ec);
        if (ec) {
            spdlog::warn("watch: {} answered something that is not JSON: {}", answer.server.to_string(), ec.message());
            if (!sleep_unless_stopped(backoff)) break;
            continue;
        }
        if (said_missing) spdlog::info("watch: service '{}' exists now", command.service);
        said_missing = false;
        InstanceSet now = instance_set(value);
        // Always compared, not only when the index moved: an instance whose lease ran out
        // disappears at the latest when a wait ends.
        print_changes(command.service, diff_instances(known, now));
        known = std::move(now);
        have_state = true;
        const std::uint64_t answered = index_of(value);
        index = answered < index ? 0 : answered;  // a lower index: another node or a restart
    }
    return 0;
}

}  // namespace dnsd::ctl
