#pragma once
// Command line and --config file to Config, with SPEC.md's exit codes: 0 for --help and
// --version, 2 for bad usage (unknown option, bad value, unreadable file).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnsd/config.hpp"

namespace dnsd {

struct ConfigOutcome {
    std::optional<Config> config;  // set when dnsd should run
    int exit_code = 0;             // otherwise: exit with this code ...
    std::string message;           // ... after printing this (stdout for 0, stderr otherwise)
};

ConfigOutcome parse_config(const std::vector<std::string>& args);

// "127.0.0.1:8053", "[::1]:8053" -> HostPort; the host must be an IP literal.
std::optional<HostPort> parse_listen_address(std::string_view text);
// --join: "peer.example.com:8054", "10.0.0.5:8054", "[fd00::5]:8054" -> HostPort. The host
// may be a name (resolved later, in the event loop) or an IP literal; the port is 1-65535.
std::optional<HostPort> parse_join_address(std::string_view text);
// A host name made into a DNS label: lower case, other characters to '-', at most 63.
std::string node_label_from_name(std::string_view name);

}  // namespace dnsd
