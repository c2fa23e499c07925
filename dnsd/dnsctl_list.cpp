// dnsctl list [SERVICE]: the services, or one service's instances, as a table (or raw JSON).
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <iostream>

#include "dnsd/dnsctl_commands.hpp"
#include "dnsd/dnsctl_list_view.hpp"
#include "dnsd/dnsctl_servers.hpp"

namespace dnsd::ctl {

int run_list(const ListCommand& command) {
    ServerPool pool(command.common.servers);
    const std::string target = command.service ? "/v1/services/" + *command.service : "/v1/services";
    const ServerAnswer answer = pool.send(HttpCall{"GET", target, "", "", command.common.timeout, true});
    if (!answer.ok()) {
        spdlog::error("list: {}", describe_failure(answer));
        return 1;
    }
    if (command.json) {
        std::cout << answer.body << (answer.body.ends_with("\n") ? "" : "\n") << std::flush;
        return 0;
    }
    boost::system::error_code ec;
    const auto value = boost::json::parse(answer.body, ec);
    if (ec) {
        spdlog::error("list: {} answered something that is not JSON: {}", answer.server.to_string(), ec.message());
        return 1;
    }
    std::cout << (command.service ? instances_table(value) : services_table(value)) << std::flush;
    return 0;
}

}  // namespace dnsd::ctl
