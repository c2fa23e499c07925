// In-process gossip convergence benchmark (issue 4, "How it is shown"). N gossip nodes run in
// one thread on simulated time (tests/unit/registry/gossip_simulation.hpp: the same harness
// the unit tests use, messages through the JSON codec), so the numbers are rounds, not
// seconds, and do not depend on how busy the machine is.
//
// For each N it measures, from a seed-only start (every node knows only node 0):
//   - rounds until every node lists all N nodes under service "dnsd" (membership);
//   - for a series of heartbeats at random nodes, rounds until every node has the instance
//     (median and max over all heartbeats of all repetitions);
//   - gossip bytes sent per node per round while the heartbeats spread (JSON bodies).
// Usage: gossip_convergence [--sizes 10,50,200,1000] [--reps R] [--changes C] [--loss P]
//                           [--max-rounds M]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/unit/registry/gossip_simulation.hpp"

namespace {

using dnsd::registry::Registry;
using dnsd::registry::sim::SimConfig;
using dnsd::registry::sim::Simulation;

struct BenchOptions {
    std::vector<std::size_t> sizes{10, 50, 200, 1000};
    int reps = 3;        // independent simulations (seeds) per N
    int changes = 9;     // heartbeats timed per simulation
    double loss = 0.0;
    double max_rounds = 60;  // a change or membership not done by then counts as "never"
};

struct Measurement {
    std::vector<double> membership_rounds;  // one per repetition; never: max_rounds + 1
    std::vector<double> change_rounds;      // one per heartbeat
    double bytes = 0;                       // gossip bytes sent while changes spread
    double entries = 0;                     // instance/tombstone copies received meanwhile
    double node_rounds = 0;                 // nodes x rounds of that period
    double seconds = 0;                     // wall time the simulation took (for the reader)
};

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double maximum(const std::vector<double>& values) {
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

std::uint64_t total_bytes(const Simulation& sim) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < sim.size(); ++i) sum += sim.bytes_sent(i);
    return sum;
}

// Copies of entries received by all nodes: shows what the bytes are made of.
std::uint64_t total_entries(Simulation& sim) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < sim.size(); ++i) sum += sim.gossip(i).stats().entries_received;
    return sum;
}

void run_once(std::size_t n, std::uint64_t seed, const BenchOptions& options, Measurement& out) {
    SimConfig config;
    config.nodes = n;
    config.seed = seed;
    config.loss = options.loss;
    // Encoding every message of 1000 nodes dominates the run time; a sample of one in 50 still
    // goes through the codec and its size is scaled up (the simulation does the scaling).
    config.json_every = n >= 500 ? 50 : 1;
    Simulation sim(config);

    const auto everyone_lists_everyone = [&] {
        return sim.all_up([&](std::size_t i) { return sim.live_members(i) == n; });
    };
    const auto membership = sim.rounds_until(everyone_lists_everyone, options.max_rounds);
    out.membership_rounds.push_back(membership.value_or(options.max_rounds + 1));

    std::mt19937_64 pick(seed * 31 + 5);
    const std::uint64_t bytes_before = total_bytes(sim);
    const std::uint64_t entries_before = total_entries(sim);
    const std::int64_t start = sim.now();
    for (int c = 0; c < options.changes; ++c) {
        const std::size_t at = pick() % n;
        const std::string id = "change-" + std::to_string(c);
        sim.now_at(at, [&](Registry& registry) {
            registry.renew(Simulation::instance("probe", id, 600'000));
        });
        const auto everyone_has_it = [&] {
            return sim.all_up([&](std::size_t i) { return sim.has_live(i, "probe", id); });
        };
        const auto rounds = sim.rounds_until(everyone_has_it, options.max_rounds);
        out.change_rounds.push_back(rounds.value_or(options.max_rounds + 1));
        // Let the round settle so the next heartbeat does not ride on this one's pushes.
        sim.run_rounds(1.3);
    }
    out.bytes += static_cast<double>(total_bytes(sim) - bytes_before);
    out.entries += static_cast<double>(total_entries(sim) - entries_before);
    out.node_rounds += static_cast<double>(n) * static_cast<double>(sim.now() - start) /
                       static_cast<double>(sim.interval());
}

std::optional<std::vector<std::size_t>> parse_sizes(std::string_view text) {
    std::vector<std::size_t> sizes;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = std::min(text.find(',', pos), text.size());
        const std::string part(text.substr(pos, comma - pos));
        char* end = nullptr;
        const unsigned long value = std::strtoul(part.c_str(), &end, 10);
        if (part.empty() || *end != '\0' || value < 2 || value > 100'000) return std::nullopt;
        sizes.push_back(value);
        pos = comma + 1;
    }
    return sizes;
}

// Returns the options, or nullopt after printing why (exit code 2).
std::optional<BenchOptions> parse_args(int argc, char** argv) {
    BenchOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help") {
            std::printf("usage: gossip_convergence [--sizes 10,50,200,1000] [--reps R] [--changes C] "
                        "[--loss P] [--max-rounds M]\n");
            std::exit(0);
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "gossip_convergence: %s needs a value (see --help)\n", argv[i]);
            return std::nullopt;
        }
        const std::string value = argv[++i];
        if (arg == "--sizes") {
            auto sizes = parse_sizes(value);
            if (!sizes) {
                std::fprintf(stderr, "gossip_convergence: --sizes must be a comma list of N >= 2\n");
                return std::nullopt;
            }
            options.sizes = *sizes;
        } else if (arg == "--reps") {
            options.reps = std::max(1, std::atoi(value.c_str()));
        } else if (arg == "--changes") {
            options.changes = std::max(1, std::atoi(value.c_str()));
        } else if (arg == "--loss") {
            options.loss = std::clamp(std::atof(value.c_str()), 0.0, 0.9);
        } else if (arg == "--max-rounds") {
            options.max_rounds = std::max(1.0, std::atof(value.c_str()));
        } else {
            std::fprintf(stderr, "gossip_convergence: unknown option %s (see --help)\n", argv[i - 1]);
            return std::nullopt;
        }
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = parse_args(argc, argv);
    if (!parsed) return 2;
    const BenchOptions& options = *parsed;

    std::printf("gossip convergence, in-process (simulated time, round = gossip interval), "
                "loss %.0f%%, %d rep(s) x %d heartbeat(s) per N\n\n",
                options.loss * 100, options.reps, options.changes);
    std::printf("| N | change: median rounds | change: max rounds | target median log2(N)+2 "
                "| membership from seed: median (max) rounds | target 2*log2(N) "
                "| bytes/node/round | entries received/node/round | meets targets | wall s |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    bool all_met = true;
    for (const std::size_t n : options.sizes) {
        Measurement m;
        const auto began = std::chrono::steady_clock::now();
        for (int rep = 0; rep < options.reps; ++rep)
            run_once(n, 1000 * n + static_cast<std::uint64_t>(rep) + 7, options, m);
        m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
        const double log_n = std::log2(static_cast<double>(n));
        const bool met = median(m.change_rounds) <= log_n + 2 && maximum(m.membership_rounds) <= 2 * log_n;
        all_met = all_met && met;
        const double per_node_round = m.node_rounds > 0 ? 1.0 / m.node_rounds : 0.0;
        std::printf("| %zu | %.1f | %.1f | %.1f | %.1f (%.1f) | %.1f | %.0f | %.1f | %s | %.1f |\n", n,
                    median(m.change_rounds), maximum(m.change_rounds), log_n + 2,
                    median(m.membership_rounds), maximum(m.membership_rounds), 2 * log_n,
                    m.bytes * per_node_round, m.entries * per_node_round, met ? "yes" : "NO", m.seconds);
        std::fflush(stdout);
    }
    return all_met ? 0 : 1;
}
