#include "load_options.hpp"

#include <charconv>
#include <iostream>

#include <boost/program_options.hpp>

namespace hbload {

namespace po = boost::program_options;

namespace {

// "127.0.0.1:8054", "[::1]:8054": the host is kept as text, checked when connecting.
std::optional<Endpoint> parse_endpoint(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const char* begin = text.data() + colon + 1;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, port);
    if (ec != std::errc{} || ptr != end || port == 0 || port > 65535) return std::nullopt;
    return Endpoint{host, static_cast<std::uint16_t>(port)};
}

}  // namespace

std::variant<LoadOptions, UsageError, HelpShown> parse_load_options(int argc, char** argv) {
    LoadOptions o;
    std::string http, dns;
    po::options_description desc(
        "Usage: heartbeat-load --http HOST:PORT --dns HOST:PORT --rate N --duration S [options]\n"
        "Sends heartbeats to dnsd at a fixed rate and measures how soon new instances answer "
        "in DNS.\nPrints one JSON line. Options");
    desc.add_options()
        ("help,h", "print this help and exit")
        ("http", po::value(&http)->required(), "dnsd HTTP side-port HOST:PORT")
        ("dns", po::value(&dns)->required(), "dnsd DNS listener HOST:PORT (UDP)")
        ("rate", po::value(&o.rate)->required(), "heartbeats per second (open loop)")
        ("duration", po::value(&o.duration_s)->required(), "seconds to send")
        ("services", po::value(&o.services)->default_value(o.services), "services the heartbeats use")
        ("connections", po::value(&o.connections)->default_value(o.connections),
         "keep-alive HTTP connections")
        ("instances-per-service", po::value(&o.instances_per_service)->default_value(o.instances_per_service),
         "instances per service that are renewed")
        ("sample-every", po::value(&o.sample_every)->default_value(o.sample_every),
         "every Nth heartbeat registers a new instance whose DNS visibility is timed")
        ("domain", po::value(&o.domain)->default_value(o.domain), "dnsd's --domain")
        ("service-prefix", po::value(&o.service_prefix)->default_value(o.service_prefix),
         "services are named PREFIX0, PREFIX1, ...")
        ("visibility-bound", po::value(&o.visibility_bound_s)->default_value(o.visibility_bound_s),
         "seconds after which a sample that never showed up counts as invisible");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return HelpShown{};
        }
        po::notify(vm);
    } catch (const po::error& e) {
        return UsageError{std::string(e.what()) + " (see --help)"};
    }
    auto h = parse_endpoint(http);
    if (!h) return UsageError{"--http '" + http + "' is not HOST:PORT"};
    auto d = parse_endpoint(dns);
    if (!d) return UsageError{"--dns '" + dns + "' is not HOST:PORT"};
    o.http = *h;
    o.dns = *d;
    if (!(o.rate > 0) || o.rate > 10'000'000) return UsageError{"--rate must be above 0 and at most 10000000"};
    if (!(o.duration_s > 0) || o.duration_s > 86'400) return UsageError{"--duration must be above 0 and at most 86400"};
    if (o.services < 1 || o.services > 1'000'000) return UsageError{"--services must be 1 to 1000000"};
    if (o.connections < 1 || o.connections > 1000) return UsageError{"--connections must be 1 to 1000"};
    if (o.instances_per_service < 1) return UsageError{"--instances-per-service must be at least 1"};
    if (o.sample_every < 1) return UsageError{"--sample-every must be at least 1"};
    if (!(o.visibility_bound_s > 0)) return UsageError{"--visibility-bound must be above 0"};
    return o;
}

}  // namespace hbload
