#include "cluster.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <thread>

#include "dns_client.hpp"
#include "free_port.hpp"
#include "http_client.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// "0 100 8054 n1.dnsd.svc." -> ("n1", 8054); nullopt when the target is not under dnsd.svc.
std::optional<std::pair<std::string, std::uint16_t>> member_of(const std::string& srv_rdata) {
    std::istringstream in(srv_rdata);
    unsigned priority = 0;
    unsigned weight = 0;
    unsigned port = 0;
    std::string target;
    if (!(in >> priority >> weight >> port >> target)) return std::nullopt;
    const std::string suffix = ".dnsd.svc.";
    target = lower(target);
    if (target.size() <= suffix.size() || !target.ends_with(suffix)) return std::nullopt;
    return std::make_pair(target.substr(0, target.size() - suffix.size()),
                          static_cast<std::uint16_t>(port));
}

}  // namespace

ClusterNode::ClusterNode(std::string name, std::vector<std::string> extra_args)
    : name_(std::move(name)),
      dns_port_(pick_free_port()),
      http_port_(pick_free_port()),
      data_dir_(dir_.path() / "data"),
      extra_args_(std::move(extra_args)) {
    std::filesystem::create_directories(data_dir_);
}

std::string ClusterNode::address() const { return "127.0.0.1:" + std::to_string(http_port_); }

void ClusterNode::add_args(const std::vector<std::string>& args) {
    extra_args_.insert(extra_args_.end(), args.begin(), args.end());
}

bool ClusterNode::start() {
    failure_.clear();
    std::vector<std::string> args = {
        "--dns", "127.0.0.1:" + std::to_string(dns_port_),
        "--http", address(),
        "--data-dir", data_dir_.string(),
        "--node-name", name_,
        "--log-level", "debug",
        // Two cores are shared by the whole team: one DNS worker per node is plenty.
        "--threads", "1",
    };
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    process_ = DnsdProcess::spawn_raw(args);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    std::string last;
    while (std::chrono::steady_clock::now() < deadline) {
        const HttpResponse response = http_get(http_port_, "/healthz", 1000ms);
        if (response.status == 200) return true;
        last = response.status == 0 ? response.failure : "status " + std::to_string(response.status);
        std::this_thread::sleep_for(20ms);
    }
    process_->kill9();
    failure_ = name_ + ": GET /healthz did not answer 200 within 10 s (last: " + last +
               ")\n--- log ---\n" + process_->log();
    return false;
}

void ClusterNode::kill9() {
    if (process_) process_->kill9();
}

ExitStatus ClusterNode::terminate() { return process_ ? process_->terminate() : ExitStatus{}; }

std::string ClusterNode::log() const { return process_ ? process_->log() : std::string(); }

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)) {
    for (std::size_t i = 0; i < options_.size; ++i) {
        auto node = std::make_unique<ClusterNode>("n" + std::to_string(i + 1),
                                                  common_args(options_.gossip_key));
        if (i > 0) node->add_args({"--join", nodes_.back()->address()});
        last_launch_ = std::chrono::steady_clock::now();
        const bool ok = node->start();
        nodes_.push_back(std::move(node));
        if (!ok) {
            failure_ = nodes_.back()->failure();
            return;
        }
    }
}

Cluster::~Cluster() {
    // Every process is stopped and reaped here (DnsdProcess's destructor does it too; this
    // makes the order explicit: the extra nodes first, then the cluster).
    for (auto& node : extra_) node->kill9();
    for (auto& node : nodes_) node->kill9();
}

std::vector<std::string> Cluster::common_args(const std::optional<std::string>& key) {
    std::vector<std::string> args = {"--gossip-interval", options_.gossip_interval,
                                     "--lease", std::to_string(options_.lease_s)};
    if (key) {
        // One file per distinct key, so two nodes with the same key share the file.
        const auto file = keys_.path() / ("key-" + std::to_string(std::hash<std::string>{}(*key)));
        write_file(file, *key + "\n");
        args.insert(args.end(), {"--gossip-key-file", file.string()});
    }
    return args;
}

ClusterNode& Cluster::add_node(const std::string& name, std::optional<std::string> gossip_key,
                               const std::vector<std::string>& join) {
    auto node = std::make_unique<ClusterNode>(name, common_args(gossip_key));
    for (const auto& address : join) node->add_args({"--join", address});
    node->start();
    extra_.push_back(std::move(node));
    return *extra_.back();
}

std::string Cluster::logs() const {
    std::string out;
    for (const auto* group : {&nodes_, &extra_}) {
        for (const auto& node : *group) {
            out += "--- " + node->name() + " (http " + std::to_string(node->http_port()) + ", dns " +
                   std::to_string(node->dns_port()) + ") ---\n" + node->log();
        }
    }
    return out;
}

std::optional<std::map<std::string, std::uint16_t>> dns_members(std::uint16_t dns_port) {
    DnsQuestion question("dnsd.svc", LDNS_RR_TYPE_SRV);
    question.timeout = 1000ms;
    // Without EDNS a bigger cluster's SRV set (with its addresses) would not fit 512 bytes.
    question.edns_udp_size = 1232;
    const DnsReply reply = dns_query(dns_port, question);
    if (!reply.ok()) return std::nullopt;
    std::map<std::string, std::uint16_t> members;
    for (const ldns_rr* rr : reply.answer(LDNS_RR_TYPE_SRV)) {
        if (auto member = member_of(rdata_text(rr))) members.insert(*member);
    }
    return members;
}

bool dns_has_instance(std::uint16_t dns_port, const std::string& service, const std::string& id) {
    DnsQuestion question(service + ".svc", LDNS_RR_TYPE_SRV);
    question.timeout = 1000ms;
    const DnsReply reply = dns_query(dns_port, question);
    const std::string wanted = lower(id + "." + service + ".svc.");
    for (const ldns_rr* rr : reply.answer(LDNS_RR_TYPE_SRV)) {
        if (lower(rdata_text(rr)).ends_with(" " + wanted)) return true;
    }
    return false;
}

std::optional<double> metric_sum(std::uint16_t http_port, const std::string& metric) {
    const HttpResponse response = http_get(http_port, "/metrics", 2000ms);
    if (response.status != 200) return std::nullopt;
    std::istringstream lines(response.body);
    std::string line;
    std::optional<double> sum;
    while (std::getline(lines, line)) {
        if (!line.starts_with(metric)) continue;
        const char next = line.size() > metric.size() ? line[metric.size()] : '\0';
        if (next != ' ' && next != '{') continue;  // another metric with this prefix
        const std::size_t space = line.rfind(' ');
        try {
            sum = sum.value_or(0) + std::stod(line.substr(space + 1));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return sum;
}

long long elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since)
        .count();
}

}  // namespace dnsd::e2e
