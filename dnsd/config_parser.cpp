#include "dnsd/config_parser.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

#include "dnsd_version.hpp"
#include "registry/ip_address.hpp"

namespace po = boost::program_options;

namespace dnsd {

namespace {

constexpr const char* kUsage = "Usage: dnsd [OPTIONS]\n"
                               "DNS-based service discovery server (see dnsd(8)).\n\n";

po::options_description describe_options() {
    po::options_description opts("Options");
    // clang-format off
    opts.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("config", po::value<std::string>()->value_name("FILE"), "read options from FILE (key = value, same names)")
        ("dns", po::value<std::vector<std::string>>()->value_name("ADDR:PORT"), "DNS listener ADDR:PORT, UDP and TCP; repeatable (default 127.0.0.1:8053)")
        ("http", po::value<std::string>()->value_name("ADDR:PORT"), "HTTP side-port ADDR:PORT (default 127.0.0.1:8054)")
        ("domain", po::value<std::string>()->value_name("NAME"), "zone apex dnsd is authoritative for (default svc)")
        ("data-dir", po::value<std::string>()->value_name("DIR"), "directory of the registry snapshot cache.json (default ./dnsd-data)")
        ("node-name", po::value<std::string>()->value_name("NAME"), "this node's name in the cluster (default: host name)")
        ("join", po::value<std::vector<std::string>>()->value_name("HOST:PORT"), "HTTP address HOST:PORT of a peer dnsd; repeatable")
        ("advertise", po::value<std::string>()->value_name("ADDR:PORT"), "HTTP address ADDR:PORT peers should use (default: --http)")
        ("lease", po::value<std::string>()->value_name("SECONDS"), "lease in seconds of a heartbeat without ttl (default 30)")
        ("max-ttl", po::value<std::string>()->value_name("SECONDS"), "ceiling of every DNS TTL, seconds (default 5)")
        ("gossip-interval", po::value<std::string>()->value_name("SECONDS"), "seconds between gossip rounds, may be fractional (default 1)")
        ("threads", po::value<std::string>()->value_name("N"), "DNS worker threads (default: the CPUs this process may run on, e.g. 1 under taskset -c 0)")
        ("zone-file", po::value<std::string>()->value_name("FILE"), "extra static records, RFC 1035 master format")
        ("auth-token-file", po::value<std::string>()->value_name("FILE"), "require Authorization: Bearer <token> for heartbeats and deregistrations")
        ("gossip-key-file", po::value<std::string>()->value_name("FILE"), "shared key authenticating gossip between nodes")
        ("self-preservation-percent", po::value<std::string>()->value_name("N"), "hold expiries when more than N% of the instances would expire at once; 0: off (default 15)")
        ("nginx-upstream-dir", po::value<std::string>()->value_name("DIR"), "write DIR/<service>.conf nginx upstream blocks, updated on every change")
        ("nginx-reload-cmd", po::value<std::string>()->value_name("CMD"), "run CMD with /bin/sh -c after upstream files changed (debounced, retried on failure)")
        ("log-level", po::value<std::string>()->value_name("LEVEL"), "trace|debug|info|warn|error (default info)");
    // clang-format on
    return opts;
}

struct UsageError {
    std::string message;
};

std::string one(const po::variables_map& vm, const char* key) {
    return vm[key].as<std::string>();
}

std::int64_t integer_in(const po::variables_map& vm, const char* key, std::int64_t lo,
                        std::int64_t hi) {
    const std::string text = one(vm, key);
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || v < lo || v > hi)
        throw UsageError{"--" + std::string(key) + " must be a whole number from " +
                         std::to_string(lo) + " to " + std::to_string(hi) + ", not '" + text +
                         "'"};
    return v;
}

HostPort listen_address(const std::string& key, const std::string& text) {
    auto hp = parse_listen_address(text);
    if (!hp)
        throw UsageError{"--" + key + " must be ADDR:PORT with an IP address and a port from 1 "
                         "to 65535 (IPv6 as [::1]:8053), not '" + text + "'"};
    return *hp;
}

bool is_valid_domain(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        const std::string_view label =
            name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63) return false;
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

std::filesystem::path readable_file(const std::string& key, const std::string& path) {
    std::ifstream in(path);
    if (!in) throw UsageError{"--" + key + ": cannot read '" + path + "'"};
    return path;
}

// --nginx-upstream-dir is checked at start: a typo would otherwise show only as an error at the
// first change, while nginx silently keeps serving stale upstreams.
std::filesystem::path writable_dir(const std::string& key, const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec))
        throw UsageError{"--" + key + ": '" + path + "' is not an existing directory"};
    if (::access(path.c_str(), W_OK | X_OK) != 0)
        throw UsageError{"--" + key + ": cannot write to directory '" + path + "'"};
    return path;
}

std::string read_token(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string token = ss.str();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front())))
        token.erase(token.begin());
    if (token.empty())
        throw UsageError{"--auth-token-file: '" + path.string() + "' holds no token"};
    return token;
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "dnsd";
    return buf;
}

Config build(const po::variables_map& vm) {
    Config c;
    if (vm.count("dns")) {
        c.dns.clear();
        for (const auto& text : vm["dns"].as<std::vector<std::string>>())
            c.dns.push_back(listen_address("dns", text));
    }
    if (vm.count("http")) c.http = listen_address("http", one(vm, "http"));
    if (vm.count("advertise")) {
        c.advertise = listen_address("advertise", one(vm, "advertise"));
        if (c.advertise->port == 0) throw UsageError{"--advertise needs a port"};
    }
    if (vm.count("domain")) {
        std::string d = one(vm, "domain");
        if (!d.empty() && d.back() == '.') d.pop_back();
        if (!is_valid_domain(d))
            throw UsageError{"--domain must be a DNS name such as 'svc' or 'svc.example.com', not '" +
                             one(vm, "domain") + "'"};
        // <id>.<service>.<domain> must fit DNS's 255-byte names with two 63-byte labels.
        if (d.size() > 125)
            throw UsageError{"--domain may have at most 125 characters, so that instance names "
                             "<id>.<service>.<domain> fit in a DNS name"};
        for (char& ch : d) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        c.domain = d;
    }
    if (vm.count("data-dir")) c.data_dir = one(vm, "data-dir");
    c.node_name = vm.count("node-name") ? one(vm, "node-name") : host_name();
    c.node_label = node_label_from_name(c.node_name);
    if (c.node_label.empty()) throw UsageError{"--node-name must contain a letter or a digit"};
    if (vm.count("join")) {
        for (const auto& text : vm["join"].as<std::vector<std::string>>()) {
            auto peer = parse_join_address(text);
            if (!peer)
                throw UsageError{"--join must be HOST:PORT with a host name or IP address and a port "
                                 "from 1 to 65535 (IPv6 as [fd00::5]:8054), not '" + text + "'"};
            c.join.push_back(peer->to_string());
        }
    }
    if (vm.count("lease")) c.lease_s = integer_in(vm, "lease", 1, 86'400);
    if (vm.count("max-ttl")) c.max_ttl_s = integer_in(vm, "max-ttl", 0, 86'400);
    if (vm.count("gossip-interval")) {
        const std::string text = one(vm, "gossip-interval");
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || !(v >= 0.01 && v <= 3600))
            throw UsageError{"--gossip-interval must be a number of seconds from 0.01 to 3600, not '" +
                             text + "'"};
        c.gossip_interval_s = v;
    }
    c.threads = vm.count("threads")
                    ? static_cast<unsigned>(integer_in(vm, "threads", 1, 256))
                    : std::min(usable_cpu_count(), 256u);
    if (vm.count("zone-file")) c.zone_file = readable_file("zone-file", one(vm, "zone-file"));
    if (vm.count("auth-token-file")) {
        c.auth_token_file = readable_file("auth-token-file", one(vm, "auth-token-file"));
        c.auth_token = read_token(*c.auth_token_file);
    }
    if (vm.count("gossip-key-file"))
        c.gossip_key_file = readable_file("gossip-key-file", one(vm, "gossip-key-file"));
    if (vm.count("self-preservation-percent"))
        c.self_preservation_percent = integer_in(vm, "self-preservation-percent", 0, 100);
    if (vm.count("nginx-upstream-dir"))
        c.nginx_upstream_dir = writable_dir("nginx-upstream-dir", one(vm, "nginx-upstream-dir"));
    if (vm.count("nginx-reload-cmd")) {
        if (!c.nginx_upstream_dir)
            throw UsageError{"--nginx-reload-cmd needs --nginx-upstream-dir: it runs when those files change"};
        c.nginx_reload_cmd = one(vm, "nginx-reload-cmd");
        if (c.nginx_reload_cmd->find_first_not_of(" \t") == std::string::npos)
            throw UsageError{"--nginx-reload-cmd must not be empty"};
    }
    if (vm.count("log-level")) {
        c.log_level = one(vm, "log-level");
        static const char* levels[] = {"trace", "debug", "info", "warn", "error"};
        if (std::find(std::begin(levels), std::end(levels), c.log_level) == std::end(levels))
            throw UsageError{"--log-level must be one of trace, debug, info, warn, error"};
    }
    return c;
}

}  // namespace

std::optional<HostPort> parse_listen_address(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return std::nullopt;
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        auto ip = registry::IpAddress::parse(host);
        if (!ip || !ip->is_v6()) return std::nullopt;
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        auto ip = registry::IpAddress::parse(host);
        if (!ip || ip->is_v6()) return std::nullopt;  // IPv6 needs brackets
    }
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value > 65535)
        return std::nullopt;
    return HostPort{std::string(host), static_cast<std::uint16_t>(value)};
}

std::optional<HostPort> parse_join_address(std::string_view text) {
    if (!text.empty() && text.front() == '[') {
        auto hp = parse_listen_address(text);
        if (!hp || hp->port == 0) return std::nullopt;
        return hp;
    }
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    // A second colon means an IPv6 literal without brackets: ambiguous with the port.
    if (host.find(':') != std::string_view::npos) return std::nullopt;
    std::string name(host);
    if (!name.empty() && name.back() == '.') name.pop_back();  // "peer.example.com." is fine
    if (!is_valid_domain(name)) return std::nullopt;
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value == 0 ||
        value > 65535)
        return std::nullopt;
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return HostPort{name, static_cast<std::uint16_t>(value)};
}

std::string node_label_from_name(std::string_view name) {
    // A fully qualified host name is represented by its first label.
    name = name.substr(0, name.find('.'));
    std::string label;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        label.push_back(std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-');
        if (label.size() == 63) break;
    }
    const bool meaningful =
        std::any_of(label.begin(), label.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
    return meaningful ? label : std::string();
}

ConfigOutcome parse_config(const std::vector<std::string>& args) {
    const auto opts = describe_options();
    po::variables_map vm;
    try {
        // No abbreviations: "--dom" working today would break scripts when an option is added.
        const int style = po::command_line_style::default_style &
                          ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(args).options(opts).style(style).run(), vm);
        if (vm.count("help")) {
            std::ostringstream out;
            out << kUsage << opts;
            return {std::nullopt, 0, out.str()};
        }
        if (vm.count("version")) return {std::nullopt, 0, std::string("dnsd ") + kVersion + "\n"};
        if (vm.count("config")) {
            const std::string file = vm["config"].as<std::string>();
            std::ifstream in(file);
            if (!in) return {std::nullopt, 2, "dnsd: --config: cannot read '" + file + "'\n"};
            // Command-line values were stored first and win over the file's.
            po::store(po::parse_config_file(in, opts), vm);
        }
        po::notify(vm);
        return {build(vm), 0, {}};
    } catch (const UsageError& e) {
        return {std::nullopt, 2, "dnsd: " + e.message + "\n"};
    } catch (const po::error& e) {
        return {std::nullopt, 2, std::string("dnsd: ") + e.what() + " (see dnsd --help)\n"};
    }
}

}  // namespace dnsd
