#pragma once
// Several real dnsd processes gossiping on loopback, for the cluster end-to-end tests.
// Unlike DnsdProcess alone, a ClusterNode keeps its ports, data dir and arguments across a
// restart, so "kill -9, then start again the same node" is what an operator would do.
// Create and destroy everything on the test's main thread (DnsdProcess uses PDEATHSIG).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dnsd_process.hpp"
#include "temp_dir.hpp"

namespace dnsd::e2e {

class ClusterNode {
public:
    // Picks the ports and the data dir now; nothing runs until start().
    ClusterNode(std::string name, std::vector<std::string> extra_args);

    // Spawns dnsd (same ports, data dir and arguments every time) and waits, at most 10 s,
    // until GET /healthz answers 200. False, with failure(), when it did not.
    bool start();
    void kill9();
    ExitStatus terminate();
    // Sends a signal (SIGSTOP/SIGCONT: a node frozen, as by a long GC pause or a VM stall).
    bool signal(int signal_number) { return process_ && process_->send_signal(signal_number); }
    bool running() const { return process_ != nullptr && process_->running(); }

    const std::string& name() const { return name_; }
    std::uint16_t dns_port() const { return dns_port_; }
    std::uint16_t http_port() const { return http_port_; }
    std::string address() const;  // "127.0.0.1:<http port>": what peers --join
    const std::filesystem::path& data_dir() const { return data_dir_; }
    const std::string& failure() const { return failure_; }
    std::string log() const;  // of the current (or last) process

    // Arguments added before the next start (e.g. --join of nodes started earlier).
    void add_args(const std::vector<std::string>& args);

private:
    std::string name_;
    std::uint16_t dns_port_ = 0;
    std::uint16_t http_port_ = 0;
    TempDir dir_;
    std::filesystem::path data_dir_;
    std::vector<std::string> extra_args_;
    std::unique_ptr<DnsdProcess> process_;
    std::string failure_;
};

struct ClusterOptions {
    std::size_t size = 5;
    std::string gossip_interval = "0.2";
    std::optional<std::string> gossip_key;  // written to a file for --gossip-key-file
    int lease_s = 30;
};

// Nodes n1..nN. n1 is the seed; every later node joins only the one started just before it
// (a chain), so the cluster is whole only if nodes learn peers from each other.
class Cluster {
public:
    explicit Cluster(ClusterOptions options = {});
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    bool started() const { return failure_.empty(); }
    const std::string& start_failure() const { return failure_; }
    std::size_t size() const { return nodes_.size(); }
    ClusterNode& node(std::size_t index) { return *nodes_.at(index); }  // 0-based: node(0) is n1
    std::vector<std::unique_ptr<ClusterNode>>& nodes() { return nodes_; }

    // A node outside the cluster's key (or with none) that --joins `join`. Stopped with the cluster.
    ClusterNode& add_node(const std::string& name, std::optional<std::string> gossip_key,
                          const std::vector<std::string>& join);

    // Every node's log, for failure messages.
    std::string logs() const;
    // When the last node of the cluster was launched (each waits for the one before it).
    std::chrono::steady_clock::time_point last_launch() const { return last_launch_; }

private:
    std::vector<std::string> common_args(const std::optional<std::string>& key);

    ClusterOptions options_;
    TempDir keys_;
    std::vector<std::unique_ptr<ClusterNode>> nodes_;
    std::vector<std::unique_ptr<ClusterNode>> extra_;
    std::string failure_;
    std::chrono::steady_clock::time_point last_launch_;
};

// Through DNS (ldns): the dnsd nodes listed by SRV dnsd.svc at this DNS port, name -> SRV
// port; nullopt when the query failed (timeout, bad reply).
std::optional<std::map<std::string, std::uint16_t>> dns_members(std::uint16_t dns_port);
// Through DNS: whether SRV <service>.svc lists instance <id> at this DNS port.
bool dns_has_instance(std::uint16_t dns_port, const std::string& service, const std::string& id);
// The sum of every sample of a Prometheus metric in GET /metrics (any labels); nullopt when
// /metrics did not answer or has no such metric.
std::optional<double> metric_sum(std::uint16_t http_port, const std::string& metric);

// Milliseconds since `since`, for reporting how long a convergence took.
long long elapsed_ms(std::chrono::steady_clock::time_point since);

}  // namespace dnsd::e2e
