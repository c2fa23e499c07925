#include "dnsd/health_check_spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <boost/url/parse.hpp>

#include "dnsd/config_parser.hpp"

namespace dnsd {

namespace json = boost::json;

namespace {

using Error = std::optional<std::string>;

std::string seconds_text(std::int64_t ms) {
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    std::string text = std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1);
    while (text.back() == '0') text.pop_back();
    return text + " s";
}

// Seconds, fractional allowed, kept in whole milliseconds. Absent or null: `out` unchanged.
Error seconds(const json::object& check, std::string_view name, std::int64_t low_ms,
              std::int64_t high_ms, std::int64_t& out, bool& given) {
    const json::value* v = check.if_contains(name);
    given = v != nullptr && !v->is_null();
    if (!given) return std::nullopt;
    double s = -1;
    if (v->is_int64()) s = static_cast<double>(v->get_int64());
    else if (v->is_uint64()) s = static_cast<double>(v->get_uint64());
    else if (v->is_double()) s = v->get_double();
    const std::string rule = "field 'check." + std::string(name) + "' must be a number of seconds from " +
                             seconds_text(low_ms) + " to " + seconds_text(high_ms);
    if (!v->is_number() || !std::isfinite(s)) return rule;
    const double ms = std::round(s * 1000.0);
    if (ms < static_cast<double>(low_ms) || ms > static_cast<double>(high_ms)) return rule;
    out = static_cast<std::int64_t>(ms);
    return std::nullopt;
}

bool is_target(const json::object& check, std::string_view name) {
    const json::value* v = check.if_contains(name);
    return v != nullptr && !v->is_null();
}

Error read_target(const json::object& check, registry::HealthCheck& out) {
    const bool http = is_target(check, "http");
    const bool tcp = is_target(check, "tcp");
    if (http == tcp)
        return std::string("field 'check' must hold exactly one of 'http' (a URL) or 'tcp' (host:port)");
    const std::string_view name = http ? "http" : "tcp";
    const json::value& v = check.at(name);
    if (!v.is_string() || v.get_string().size() > kCheckMaxTargetBytes)
        return "field 'check." + std::string(name) + "' must be a string of at most " +
               std::to_string(kCheckMaxTargetBytes) + " bytes";
    const std::string text(v.get_string());
    auto parsed = http ? parse_http_check_url(text) : parse_tcp_check_address(text);
    if (auto* error = std::get_if<std::string>(&parsed))
        return "field 'check." + std::string(name) + "' " + *error;
    out.kind = http ? registry::CheckKind::http : registry::CheckKind::tcp;
    out.target = text;
    return std::nullopt;
}

Error unknown_fields(const json::object& check) {
    for (const auto& field : check) {
        const std::string_view key = field.key();
        if (key != "http" && key != "tcp" && key != "interval" && key != "timeout" &&
            key != "deregister_after")
            return "field 'check." + std::string(key) +
                   "' is not known: use 'http' or 'tcp', 'interval', 'timeout', 'deregister_after'";
    }
    return std::nullopt;
}

}  // namespace

std::variant<ProbeAddress, std::string> parse_http_check_url(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) return std::string("must be an absolute URL such as http://10.0.0.3:8861/status");
    const boost::urls::url_view& u = *parsed;
    if (u.scheme() != "http")
        return "must be an http:// URL (not '" + std::string(u.scheme()) + "'): dnsd probes without TLS";
    if (!u.has_authority() || u.encoded_host().empty()) return std::string("must name a host");
    if (u.has_userinfo()) return std::string("must not carry user information");
    ProbeAddress address;
    switch (u.host_type()) {
        case boost::urls::host_type::ipv4: address.host = u.host_address(); break;
        case boost::urls::host_type::ipv6: address.host = u.host_ipv6_address().to_string(); break;
        case boost::urls::host_type::name: address.host = u.host_name(); break;
        default: return std::string("must name a host by name, IPv4 or [IPv6] address");
    }
    if (!u.has_port() || u.port().empty()) {
        address.port = 80;
    } else {
        // port_number() wraps values past 65535; read the digits ourselves.
        const std::string_view digits = u.port();
        std::uint32_t port = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (error != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535)
            return std::string("must have a port from 1 to 65535");
        address.port = static_cast<std::uint16_t>(port);
    }
    address.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
    if (u.has_query()) address.target += "?" + std::string(u.encoded_query());
    address.host_header = std::string(u.encoded_host_and_port());
    return address;
}

std::variant<ProbeAddress, std::string> parse_tcp_check_address(std::string_view text) {
    const auto parsed = parse_join_address(text);
    if (!parsed)
        return std::string("must be host:port with a host name or IP address and a port from 1 to "
                           "65535 (IPv6 as [fd00::5]:8861)");
    return ProbeAddress{parsed->host, parsed->port, {}, {}};
}

std::variant<ProbeAddress, std::string> probe_address(const registry::HealthCheck& check) {
    if (check.kind == registry::CheckKind::http) return parse_http_check_url(check.target);
    if (check.kind == registry::CheckKind::tcp) return parse_tcp_check_address(check.target);
    return std::string("the instance has no check");
}

std::variant<registry::HealthCheck, std::string> parse_health_check(const json::value& value) {
    if (!value.is_object())
        return std::string("field 'check' must be an object such as "
                           "{\"http\": \"http://10.0.0.3:8861/status\", \"interval\": 10}");
    const json::object& check = value.get_object();
    if (Error e = unknown_fields(check)) return *e;
    registry::HealthCheck out;
    if (Error e = read_target(check, out)) return *e;
    bool given = false;
    out.interval_ms = kCheckDefaultIntervalMs;
    if (Error e = seconds(check, "interval", kCheckMinIntervalMs, kCheckMaxIntervalMs, out.interval_ms, given))
        return *e;
    out.timeout_ms = std::min(out.interval_ms, kCheckDefaultMaxTimeoutMs);
    if (Error e = seconds(check, "timeout", kCheckMinTimeoutMs, kCheckMaxIntervalMs, out.timeout_ms, given))
        return *e;
    // A probe still running when the next is due would pile up behind it.
    if (out.timeout_ms > out.interval_ms)
        return "field 'check.timeout' must not exceed 'check.interval' (" + seconds_text(out.interval_ms) + ")";
    if (Error e = seconds(check, "deregister_after", kCheckMinIntervalMs, kCheckMaxDeregisterAfterMs,
                          out.deregister_after_ms, given))
        return *e;
    if (given && out.deregister_after_ms < out.interval_ms)
        return "field 'check.deregister_after' must be at least 'check.interval' (" +
               seconds_text(out.interval_ms) + "): one probe has to fail first";
    return out;
}

std::int64_t check_min_lease_ms(const registry::HealthCheck& check) {
    return check.present() ? 3 * check.interval_ms + check.timeout_ms : 0;
}

}  // namespace dnsd
