#include "dnsd/http_route.hpp"

#include <optional>
#include <vector>

#include <boost/url/parse.hpp>

#include "dnsd/http_limits.hpp"
#include "registry/names.hpp"

namespace dnsd {

namespace {

using Segments = std::vector<std::string>;

// The methods each path takes, for both the match and the Allow header of a 405.
struct PathMethods {
    std::string_view method;  // "GET" also takes HEAD
    std::string_view allow;
};

constexpr PathMethods kGet{"GET", "GET, HEAD"};
constexpr PathMethods kPost{"POST", "POST"};
constexpr PathMethods kDelete{"DELETE", "DELETE"};

// Decoded path segments; a trailing '/' is forgiven ("/v1/services/" is "/v1/services").
std::optional<Segments> path_segments(std::string_view target) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::nullopt;
    Segments segments;
    for (std::string segment : url->segments()) segments.push_back(std::move(segment));
    if (!segments.empty() && segments.back().empty()) segments.pop_back();
    return segments;
}

RouteError bad_label(std::string_view what, std::string_view value) {
    return {400,
            std::string(what) + " '" + std::string(value) +
                "' in the path is not a DNS label: letters, digits and '-', 1 to 63 characters",
            {}};
}

// Which endpoint the path names, before the method is looked at; nullopt: no such path.
struct PathMatch {
    Endpoint endpoint;
    PathMethods methods;
};

std::optional<PathMatch> match_path(const Segments& s) {
    if (s.size() == 1 && s[0] == "healthz") return PathMatch{Endpoint::healthz, kGet};
    if (s.size() == 1 && s[0] == "status") return PathMatch{Endpoint::status, kGet};
    if (s.size() == 1 && s[0] == "metrics") return PathMatch{Endpoint::metrics, kGet};
    if (s.size() < 2 || s[0] != "v1") return std::nullopt;
    if (s.size() == 2 && s[1] == "heartbeat") return PathMatch{Endpoint::heartbeat, kPost};
    if (s.size() == 2 && s[1] == "sync") return PathMatch{Endpoint::sync, kPost};
    if (s.size() == 2 && s[1] == "gossip") return PathMatch{Endpoint::gossip, kPost};
    if (s.size() == 2 && s[1] == "services") return PathMatch{Endpoint::services, kGet};
    if (s.size() == 3 && s[1] == "services") return PathMatch{Endpoint::service, kGet};
    if (s.size() == 4 && s[1] == "instances") return PathMatch{Endpoint::deregister, kDelete};
    return std::nullopt;
}

}  // namespace

RouteMatch match_route(std::string_view method, std::string_view target) {
    const auto segments = path_segments(target);
    if (!segments) return RouteError{400, "the request target is not a valid absolute path", {}};
    const auto path = match_path(*segments);
    if (!path) return RouteError{404, "there is no endpoint at this path", {}};

    const bool head = method == "HEAD" && path->methods.method == "GET";
    if (method != path->methods.method && !head)
        return RouteError{405,
                          "method " + std::string(method) + " is not allowed here; use " +
                              std::string(path->methods.allow),
                          std::string(path->methods.allow)};

    Route route{path->endpoint, {}, {}};
    if (path->endpoint == Endpoint::service || path->endpoint == Endpoint::deregister) {
        const std::string& service = (*segments)[2];
        if (!registry::is_valid_label(service)) return bad_label("service", service);
        route.service = registry::canonical_label(service);
    }
    if (path->endpoint == Endpoint::deregister) {
        const std::string& id = (*segments)[3];
        if (!registry::is_valid_label(id)) return bad_label("instance id", id);
        route.id = registry::canonical_label(id);
    }
    return route;
}

std::size_t request_body_limit(std::string_view method, std::string_view target) {
    const RouteMatch match = match_route(method, target);
    const auto* route = std::get_if<Route>(&match);
    return route && route->endpoint == Endpoint::gossip ? kGossipBodyLimit : kHttpBodyLimit;
}

}  // namespace dnsd
