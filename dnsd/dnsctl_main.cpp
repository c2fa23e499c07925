// dnsctl: the command-line client of dnsd. See dnsctl(1).
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <variant>

#include "dnsd/dnsctl_commands.hpp"
#include "dnsd/dnsctl_options.hpp"

namespace {

void setup_logging(const std::string& level) {
    auto logger = spdlog::stderr_logger_mt("dnsctl");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e dnsctl %^%l%$: %v");
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(logger);
}

struct Dispatch {
    int operator()(const dnsd::ctl::HeartbeatCommand& c) const { return dnsd::ctl::run_heartbeat(c); }
    int operator()(const dnsd::ctl::DeregisterCommand& c) const { return dnsd::ctl::run_deregister(c); }
    int operator()(const dnsd::ctl::ListCommand& c) const { return dnsd::ctl::run_list(c); }
    int operator()(const dnsd::ctl::LookupCommand& c) const { return dnsd::ctl::run_lookup(c); }
    int operator()(const dnsd::ctl::WatchCommand& c) const { return dnsd::ctl::run_watch(c); }
};

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto outcome = dnsd::ctl::parse_command_line(args);
    if (!outcome.command) {
        (outcome.exit_code == 0 ? std::cout : std::cerr) << outcome.message;
        return outcome.exit_code;
    }
    setup_logging(dnsd::ctl::common_of(*outcome.command).log_level);
    try {
        return std::visit(Dispatch{}, *outcome.command);
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
}
