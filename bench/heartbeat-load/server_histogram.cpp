#include "server_histogram.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace hbload {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::optional<HistogramCounts> parse_histogram(const std::string& text, const std::string& family) {
    const std::string bucket_prefix = family + "_bucket{le=\"";
    HistogramCounts out;
    bool found = false;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(bucket_prefix, 0) != 0) continue;
        const auto close = line.find("\"}", bucket_prefix.size());
        if (close == std::string::npos) continue;
        const std::string le = line.substr(bucket_prefix.size(), close - bucket_prefix.size());
        const double value = std::strtod(line.c_str() + close + 2, nullptr);
        found = true;
        if (le == "+Inf")
            out.count = value;
        else
            out.buckets.emplace_back(std::strtod(le.c_str(), nullptr), value);
    }
    if (!found) return std::nullopt;
    return out;
}

std::optional<HistogramCounts> fetch_publish_delay(const Endpoint& endpoint) {
    try {
        asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(std::chrono::seconds(2));
        stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address(endpoint.host), endpoint.port));
        http::request<http::empty_body> request{http::verb::get, "/metrics", 11};
        request.set(http::field::host, endpoint.host);
        request.keep_alive(false);
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        if (response.result_int() != 200) return std::nullopt;
        return parse_histogram(response.body(), "dnsd_publish_delay_seconds");
    } catch (const std::exception&) {
        return std::nullopt;  // the figure is extra: the run's own results stand without it
    }
}

HistogramCounts histogram_delta(const HistogramCounts& before, const HistogramCounts& after) {
    HistogramCounts out = after;
    out.count -= before.count;
    for (std::size_t i = 0; i < out.buckets.size() && i < before.buckets.size(); ++i)
        out.buckets[i].second -= before.buckets[i].second;
    return out;
}

double histogram_quantile(const HistogramCounts& h, double q) {
    if (h.count <= 0 || h.buckets.empty()) return 0;
    const double rank = q * h.count;
    double lower_bound = 0, lower_count = 0;
    for (const auto& [bound, cumulative] : h.buckets) {
        if (cumulative >= rank) {
            const double in_bucket = cumulative - lower_count;
            if (in_bucket <= 0) return bound;
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / in_bucket;
        }
        lower_bound = bound;
        lower_count = cumulative;
    }
    return h.buckets.back().first;  // in the +Inf bucket: the highest finite bound, as Prometheus
}

}  // namespace hbload
