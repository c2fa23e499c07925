#include "dnsd/dnsctl_options.hpp"

#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "dnsd_version.hpp"

namespace po = boost::program_options;

namespace dnsd::ctl {

namespace {

struct UsageError {
    std::string message;
};

constexpr std::array kCommands = {"heartbeat", "deregister", "list", "lookup", "watch"};

constexpr const char* kOverview =
    "Usage: dnsctl [--log-level LEVEL] COMMAND [OPTIONS] [ARGS]\n"
    "The command-line client of dnsd (see dnsctl(1)).\n\n"
    "Commands:\n"
    "  heartbeat   register an instance and keep it alive (a sidecar loop; --once for scripts)\n"
    "  deregister  remove an instance now\n"
    "  list        the services, or the instances of one service, as a table\n"
    "  lookup      resolve a service by DNS (SRV) as clients do; --pick chooses one (RFC 2782)\n"
    "  watch       print every change of a service's instances (blocking queries)\n\n"
    "Options:\n"
    "  -h [ --help ]         print this help (after a command: the command's options)\n"
    "  --version             print the version and exit\n"
    "  --log-level LEVEL     trace|debug|info|warn|error (default info)\n\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage.\n";

std::string hint(const std::string& command) {
    return command.empty() ? "Try 'dnsctl --help'.\n"
                           : "Try 'dnsctl " + command + " --help'.\n";
}

po::options_description general_options(bool version_flag) {
    po::options_description d("General options");
    d.add_options()("help,h", "print this help and exit");
    if (version_flag) d.add_options()("version", "print the version and exit");
    d.add_options()("log-level", po::value<std::string>()->value_name("LEVEL"),
                    "trace|debug|info|warn|error (default info)");
    return d;
}

po::options_description http_options() {
    po::options_description d("Server options");
    // clang-format off
    d.add_options()
        ("server", po::value<std::vector<std::string>>()->value_name("HOST:PORT"),
         "dnsd's HTTP side-port; repeatable: the next is tried when one is down (default 127.0.0.1:8054)")
        ("timeout", po::value<std::string>()->value_name("SECONDS"), "deadline of each request (default 5)");
    // clang-format on
    return d;
}

po::options_description token_option() {
    po::options_description d("Authentication");
    d.add_options()("token-file", po::value<std::string>()->value_name("FILE"),
                    "send 'Authorization: Bearer <token>' with the token in FILE (dnsd --auth-token-file)");
    return d;
}

po::options_description heartbeat_options() {
    po::options_description d("Heartbeat options");
    // clang-format off
    d.add_options()
        ("service", po::value<std::string>()->value_name("NAME"), "service name, a DNS label (required)")
        ("port", po::value<std::string>()->value_name("PORT"), "the instance's port, 1-65535 (required)")
        ("address", po::value<std::string>()->value_name("ADDR"), "the instance's IP address (default: the address dnsd sees)")
        ("id", po::value<std::string>()->value_name("ID"), "instance id, a DNS label (default: derived from address and port)")
        ("ttl", po::value<std::string>()->value_name("SECONDS"), "the lease, 1-86400 (default 15)")
        ("every", po::value<std::string>()->value_name("SECONDS"), "renew every SECONDS, may be fractional (default ttl/3)")
        ("version", po::value<std::string>()->value_name("V"), "the instance's version (TXT version=V)")
        ("weight", po::value<std::string>()->value_name("W"), "SRV weight 0-65535 (server default 100)")
        ("priority", po::value<std::string>()->value_name("P"), "SRV priority 0-65535 (server default 0)")
        ("meta", po::value<std::vector<std::string>>()->value_name("KEY=VALUE"), "metadata exported as TXT; repeatable")
        ("check-http", po::value<std::string>()->value_name("URL"), "let dnsd probe this URL (2xx = healthy)")
        ("check-tcp", po::value<std::string>()->value_name("HOST:PORT"), "let dnsd probe a TCP connect")
        ("check-interval", po::value<std::string>()->value_name("SECONDS"), "seconds between probes (default 10)")
        ("check-timeout", po::value<std::string>()->value_name("SECONDS"), "deadline of a probe (default 2)")
        ("check-deregister-after", po::value<std::string>()->value_name("SECONDS"), "deregister after failing this long")
        ("once", "register once and exit (for scripts)");
    // clang-format on
    return d;
}

po::options_description instance_key_options() {
    po::options_description d("Deregister options");
    d.add_options()("service", po::value<std::string>()->value_name("NAME"), "service name (required)")(
        "id", po::value<std::string>()->value_name("ID"), "instance id (required)");
    return d;
}

po::options_description list_options() {
    po::options_description d("List options");
    d.add_options()("json", "print dnsd's JSON answer as it is");
    return d;
}

po::options_description lookup_options() {
    po::options_description d("Lookup options");
    // clang-format off
    d.add_options()
        ("dns-server", po::value<std::string>()->value_name("ADDR:PORT"), "dnsd's DNS listener (default 127.0.0.1:8053)")
        ("domain", po::value<std::string>()->value_name("NAME"), "the zone apex (default svc)")
        ("timeout", po::value<std::string>()->value_name("SECONDS"), "deadline of each DNS try (default 5)")
        ("pick", "print one target, chosen by RFC 2782 priority and weight, as ADDR:PORT");
    // clang-format on
    return d;
}

po::options_description watch_options() {
    po::options_description d("Watch options");
    d.add_options()("wait", po::value<std::string>()->value_name("SECONDS"),
                    "longest wait of each blocking query, 1-600 (default 30)");
    return d;
}

struct CommandSyntax {
    po::options_description options;
    std::string usage;
    int max_positionals = 0;
};

CommandSyntax syntax_of(const std::string& command) {
    if (command == "heartbeat") {
        CommandSyntax s{po::options_description(), "Usage: dnsctl heartbeat --service NAME --port PORT [OPTIONS]\n"
                        "Registers the instance and renews it until SIGTERM/SIGINT, then deregisters it.\n"
                        "Here --version is the instance's version.\n", 0};
        s.options.add(heartbeat_options()).add(http_options()).add(token_option()).add(general_options(false));
        return s;
    }
    if (command == "deregister") {
        CommandSyntax s{po::options_description(), "Usage: dnsctl deregister --service NAME --id ID [OPTIONS]\n", 0};
        s.options.add(instance_key_options()).add(http_options()).add(token_option()).add(general_options(true));
        return s;
    }
    if (command == "list") {
        CommandSyntax s{po::options_description(), "Usage: dnsctl list [SERVICE] [OPTIONS]\n"
                        "Without SERVICE the services, with SERVICE its live instances.\n", 1};
        s.options.add(list_options()).add(http_options()).add(general_options(true));
        return s;
    }
    if (command == "lookup") {
        CommandSyntax s{po::options_description(), "Usage: dnsctl lookup SERVICE [OPTIONS]\n"
                        "Queries SRV SERVICE.DOMAIN and the targets' A/AAAA, as a DNS client does.\n", 1};
        s.options.add(lookup_options()).add(general_options(true));
        return s;
    }
    CommandSyntax s{po::options_description(), "Usage: dnsctl watch SERVICE [OPTIONS]\n"
                    "Prints each change of the service's instances with a timestamp, until SIGINT/SIGTERM.\n", 1};
    s.options.add(watch_options()).add(http_options()).add(general_options(true));
    return s;
}

std::string one(const po::variables_map& vm, const char* key) { return vm[key].as<std::string>(); }

std::int64_t integer_in(const po::variables_map& vm, const char* key, std::int64_t lo, std::int64_t hi) {
    const std::string text = one(vm, key);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
        throw UsageError{"--" + std::string(key) + " must be a whole number from " + std::to_string(lo) +
                         " to " + std::to_string(hi) + ", not '" + text + "'"};
    return v;
}

std::chrono::milliseconds seconds_in(const po::variables_map& vm, const char* key, double lo, double hi) {
    const std::string text = one(vm, key);
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !(v >= lo && v <= hi)) {
        std::ostringstream range;
        range << lo << " to " << hi;
        throw UsageError{"--" + std::string(key) + " must be a number of seconds from " + range.str() +
                         ", not '" + text + "'"};
    }
    return std::chrono::milliseconds(std::llround(v * 1000.0));
}

bool is_label(const std::string& text) {
    if (text.empty() || text.size() > 63) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    });
}

std::string label(const po::variables_map& vm, const char* key) {
    const std::string text = one(vm, key);
    if (!is_label(text))
        throw UsageError{"--" + std::string(key) + " must be a DNS label (letters, digits and '-', 1 to 63 "
                         "characters), not '" + text + "'"};
    return text;
}

std::string required_label(const po::variables_map& vm, const char* key) {
    if (!vm.count(key)) throw UsageError{"--" + std::string(key) + " is required"};
    return label(vm, key);
}

std::string read_token(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw UsageError{"--token-file: cannot read '" + path + "'"};
    std::stringstream ss;
    ss << in.rdbuf();
    std::string token = ss.str();
    const auto first = token.find_first_not_of(" \t\r\n");
    const auto last = token.find_last_not_of(" \t\r\n");
    if (first == std::string::npos) throw UsageError{"--token-file: '" + path + "' holds no token"};
    return token.substr(first, last - first + 1);
}

CommonOptions common_from(const po::variables_map& vm) {
    CommonOptions c;
    if (vm.count("server")) {
        c.servers.clear();
        for (const auto& text : vm["server"].as<std::vector<std::string>>()) {
            auto endpoint = parse_endpoint(text);
            if (!endpoint)
                throw UsageError{"--server must be HOST:PORT with a port from 1 to 65535 (IPv6 as "
                                 "[::1]:8054), not '" + text + "'"};
            c.servers.push_back(*endpoint);
        }
    }
    if (vm.count("token-file")) c.token = read_token(one(vm, "token-file"));
    if (vm.count("timeout")) c.timeout = seconds_in(vm, "timeout", 0.05, 3600);
    if (vm.count("log-level")) {
        c.log_level = one(vm, "log-level");
        static constexpr std::array levels = {"trace", "debug", "info", "warn", "error"};
        if (std::find(levels.begin(), levels.end(), c.log_level) == levels.end())
            throw UsageError{"--log-level must be one of trace, debug, info, warn, error"};
    }
    return c;
}

std::optional<CheckSpec> check_from(const po::variables_map& vm) {
    const bool http = vm.count("check-http") > 0;
    const bool tcp = vm.count("check-tcp") > 0;
    if (http && tcp) throw UsageError{"give --check-http or --check-tcp, not both"};
    if (!http && !tcp) {
        for (const char* key : {"check-interval", "check-timeout", "check-deregister-after"})
            if (vm.count(key)) throw UsageError{"--" + std::string(key) + " needs --check-http or --check-tcp"};
        return std::nullopt;
    }
    CheckSpec check;
    if (http) {
        check.kind = "http";
        check.target = one(vm, "check-http");
        if (!check.target.starts_with("http://"))
            throw UsageError{"--check-http must be an http:// URL, not '" + check.target + "'"};
    } else {
        check.kind = "tcp";
        check.target = one(vm, "check-tcp");
        if (!parse_endpoint(check.target))
            throw UsageError{"--check-tcp must be HOST:PORT, not '" + check.target + "'"};
    }
    if (vm.count("check-interval")) check.interval_s = integer_in(vm, "check-interval", 1, 86'400);
    if (vm.count("check-timeout")) check.timeout_s = integer_in(vm, "check-timeout", 1, 3600);
    if (vm.count("check-deregister-after"))
        check.deregister_after_s = integer_in(vm, "check-deregister-after", 1, 86'400 * 30);
    return check;
}

HeartbeatCommand heartbeat_from(const po::variables_map& vm) {
    HeartbeatCommand h;
    h.common = common_from(vm);
    InstanceSpec& spec = h.instance;
    spec.service = required_label(vm, "service");
    if (!vm.count("port")) throw UsageError{"--port is required"};
    spec.port = static_cast<std::uint16_t>(integer_in(vm, "port", 1, 65535));
    if (vm.count("address")) {
        spec.address = one(vm, "address");
        if (!is_ip_literal(*spec.address))
            throw UsageError{"--address must be an IPv4 or IPv6 address, not '" + *spec.address + "'"};
    }
    if (vm.count("id")) spec.id = label(vm, "id");
    if (vm.count("ttl")) spec.ttl_s = integer_in(vm, "ttl", 1, 86'400);
    if (vm.count("version")) spec.version = one(vm, "version");
    if (vm.count("weight")) spec.weight = integer_in(vm, "weight", 0, 65535);
    if (vm.count("priority")) spec.priority = integer_in(vm, "priority", 0, 65535);
    if (vm.count("meta")) {
        for (const auto& pair : vm["meta"].as<std::vector<std::string>>()) {
            const auto eq = pair.find('=');
            if (eq == std::string::npos || eq == 0)
                throw UsageError{"--meta must be KEY=VALUE with a non-empty KEY, not '" + pair + "'"};
            spec.meta[pair.substr(0, eq)] = pair.substr(eq + 1);
        }
    }
    spec.check = check_from(vm);
    // A third of the lease leaves two more tries before the lease runs out.
    h.every = vm.count("every") ? seconds_in(vm, "every", 0.05, 86'400)
                                : std::chrono::milliseconds(spec.ttl_s * 1000 / 3);
    if (h.every >= std::chrono::seconds(spec.ttl_s) && !vm.count("once"))
        throw UsageError{"--every must be shorter than --ttl, or the lease runs out between heartbeats"};
    h.once = vm.count("once") > 0;
    return h;
}

std::optional<std::string> positional(const po::variables_map& vm) {
    if (!vm.count("args")) return std::nullopt;
    return vm["args"].as<std::vector<std::string>>().front();
}

Command command_from(const std::string& command, const po::variables_map& vm) {
    if (command == "heartbeat") return heartbeat_from(vm);
    if (command == "deregister") {
        DeregisterCommand d;
        d.common = common_from(vm);
        d.service = required_label(vm, "service");
        d.id = required_label(vm, "id");
        return d;
    }
    if (command == "list") {
        ListCommand l;
        l.common = common_from(vm);
        l.service = positional(vm);
        if (l.service && !is_label(*l.service))
            throw UsageError{"SERVICE must be a DNS label, not '" + *l.service + "'"};
        l.json = vm.count("json") > 0;
        return l;
    }
    const auto service = positional(vm);
    if (!service) throw UsageError{"SERVICE is missing"};
    if (!is_label(*service)) throw UsageError{"SERVICE must be a DNS label, not '" + *service + "'"};
    if (command == "lookup") {
        LookupCommand l;
        l.common = common_from(vm);
        l.service = *service;
        l.pick = vm.count("pick") > 0;
        if (vm.count("dns-server")) {
            auto endpoint = parse_endpoint(one(vm, "dns-server"));
            if (!endpoint || !is_ip_literal(endpoint->host))
                throw UsageError{"--dns-server must be ADDR:PORT with an IP address (IPv6 as [::1]:8053), "
                                 "not '" + one(vm, "dns-server") + "'"};
            l.dns_server = *endpoint;
        }
        if (vm.count("domain")) {
            l.domain = one(vm, "domain");
            while (!l.domain.empty() && l.domain.back() == '.') l.domain.pop_back();
            if (l.domain.empty()) throw UsageError{"--domain must not be empty"};
        }
        return l;
    }
    WatchCommand w;
    w.common = common_from(vm);
    w.service = *service;
    if (vm.count("wait")) w.wait = std::chrono::seconds(integer_in(vm, "wait", 1, 600));
    return w;
}

// The command is the first argument that is neither an option nor the value of one.
// Options may come before the command too (`dnsctl --server X list`): their values are skipped.
bool takes_value(const std::string& option) {
    if (!option.starts_with("--") || option.find('=') != std::string::npos || option == "--version")
        return false;
    const std::string name = option.substr(2);
    for (const char* command : kCommands) {
        const CommandSyntax syntax = syntax_of(command);  // keeps what find_nothrow points into
        const auto* found = syntax.options.find_nothrow(name, false);
        if (found != nullptr && found->semantic()->max_tokens() > 0) return true;
    }
    return false;
}

std::optional<std::size_t> find_command(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (!a.starts_with("-")) return i;
        if (takes_value(a)) ++i;
    }
    return std::nullopt;
}

ParseOutcome usage_error(const std::string& message, const std::string& command) {
    return ParseOutcome{std::nullopt, 2, "dnsctl: " + message + "\n" + hint(command)};
}

}  // namespace

const CommonOptions& common_of(const Command& command) {
    return std::visit([](const auto& c) -> const CommonOptions& { return c.common; }, command);
}

ParseOutcome parse_command_line(const std::vector<std::string>& args) {
    const auto at = find_command(args);
    if (!at) {
        // No command: only --help and --version make sense.
        po::variables_map vm;
        try {
            po::store(po::command_line_parser(args).options(general_options(true)).run(), vm);
        } catch (const po::error& e) {
            return usage_error(e.what(), "");
        }
        if (vm.count("help")) return ParseOutcome{std::nullopt, 0, kOverview};
        if (vm.count("version")) return ParseOutcome{std::nullopt, 0, std::string("dnsctl ") + kVersion + "\n"};
        return usage_error("a command is missing (heartbeat, deregister, list, lookup, watch)", "");
    }
    const std::string command = args[*at];
    if (std::find(kCommands.begin(), kCommands.end(), command) == kCommands.end())
        return usage_error("unknown command '" + command + "' (heartbeat, deregister, list, lookup, watch)", "");

    std::vector<std::string> rest = args;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(*at));
    CommandSyntax syntax = syntax_of(command);
    po::options_description all;
    all.add(syntax.options);
    all.add_options()("args", po::value<std::vector<std::string>>());
    po::positional_options_description positionals;
    positionals.add("args", syntax.max_positionals);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(rest).options(all).positional(positionals).run(), vm);
        if (vm.count("help")) {
            std::ostringstream out;
            out << syntax.usage << syntax.options;
            return ParseOutcome{std::nullopt, 0, out.str()};
        }
        if (command != "heartbeat" && vm.count("version"))
            return ParseOutcome{std::nullopt, 0, std::string("dnsctl ") + kVersion + "\n"};
        return ParseOutcome{command_from(command, vm), 0, {}};
    } catch (const po::too_many_positional_options_error&) {
        return usage_error(syntax.max_positionals == 0 ? command + " takes no arguments, only options"
                                                       : command + " takes one SERVICE",
                           command);
    } catch (const po::error& e) {
        return usage_error(e.what(), command);
    } catch (const UsageError& e) {
        return usage_error(e.message, command);
    }
}

}  // namespace dnsd::ctl
