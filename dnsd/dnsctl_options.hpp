#pragma once
// dnsctl's command line: `dnsctl [--log-level L] COMMAND [OPTIONS] [ARGS]`, parsed with
// Boost.Program_options into one struct per command. Bad usage never gets past this file.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dnsd/dnsctl_address.hpp"

namespace dnsd::ctl {

// What every command may use; each command accepts only the options that concern it.
struct CommonOptions {
    std::vector<Endpoint> servers{{"127.0.0.1", 8054}};  // --server, tried in order
    std::string token;                                    // from --token-file; empty: none
    std::chrono::milliseconds timeout{5000};              // --timeout, per HTTP request or DNS try
    std::string log_level = "info";
};

// A third-party check the node runs for the instance (SPEC extension of POST /v1/heartbeat).
struct CheckSpec {
    std::string kind;    // "http" or "tcp"
    std::string target;  // URL or HOST:PORT
    std::int64_t interval_s = 10;
    std::int64_t timeout_s = 2;
    std::optional<std::int64_t> deregister_after_s;
};

// The fields of one heartbeat; absent optionals are left to the server's defaults.
struct InstanceSpec {
    std::string service;
    std::uint16_t port = 0;
    std::optional<std::string> address;
    std::optional<std::string> id;
    std::int64_t ttl_s = 15;
    std::optional<std::string> version;
    std::optional<std::int64_t> weight;
    std::optional<std::int64_t> priority;
    std::map<std::string, std::string> meta;
    std::optional<CheckSpec> check;
};

struct HeartbeatCommand {
    CommonOptions common;
    InstanceSpec instance;
    std::chrono::milliseconds every{5000};  // default ttl/3
    bool once = false;
};

struct DeregisterCommand {
    CommonOptions common;
    std::string service;
    std::string id;
};

struct ListCommand {
    CommonOptions common;
    std::optional<std::string> service;
    bool json = false;
};

struct LookupCommand {
    CommonOptions common;
    Endpoint dns_server{"127.0.0.1", 8053};
    std::string domain = "svc";
    std::string service;
    bool pick = false;
};

struct WatchCommand {
    CommonOptions common;
    std::string service;
    std::chrono::seconds wait{30};  // of each blocking query
};

using Command =
    std::variant<HeartbeatCommand, DeregisterCommand, ListCommand, LookupCommand, WatchCommand>;

// Either a command to run, or what to print and the exit code: 0 for --help and --version
// (printed on stdout), 2 for bad usage (printed on stderr, with a hint).
struct ParseOutcome {
    std::optional<Command> command;
    int exit_code = 0;
    std::string message;
};

// `args` are argv[1..]. Reads --token-file (an unreadable file is bad usage, as in dnsd).
ParseOutcome parse_command_line(const std::vector<std::string>& args);

const CommonOptions& common_of(const Command& command);

}  // namespace dnsd::ctl
