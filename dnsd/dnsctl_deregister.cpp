// dnsctl deregister: DELETE /v1/instances/{service}/{id}.
#include <spdlog/spdlog.h>

#include "dnsd/dnsctl_commands.hpp"
#include "dnsd/dnsctl_servers.hpp"

namespace dnsd::ctl {

int run_deregister(const DeregisterCommand& command) {
    ServerPool pool(command.common.servers);
    const ServerAnswer answer = pool.send(HttpCall{"DELETE", "/v1/instances/" + command.service + "/" + command.id,
                                                   "", command.common.token, command.common.timeout, true});
    if (!answer.ok()) {
        spdlog::error("deregister {}/{}: {}", command.service, command.id, describe_failure(answer));
        return 1;
    }
    spdlog::info("deregistered {}/{} on {}", command.service, command.id, answer.server.to_string());
    return 0;
}

}  // namespace dnsd::ctl
