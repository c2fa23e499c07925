#pragma once
// Many gossip nodes in one process: an event queue, simulated time, one skewed clock per node,
// and an in-memory transport with seeded loss, delays and partitions. Deterministic for a
// given seed. Messages go through the JSON encoder and decoder, as over HTTP.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "registry/clock.hpp"
#include "registry/gossip_message_json.hpp"
#include "registry/gossip_node.hpp"
#include "registry/names.hpp"
#include "registry/registry.hpp"

namespace dnsd::registry::sim {

// A node's clocks read the simulation's time through their own offsets: monotonic clocks start
// anywhere, wall clocks may be skewed by an hour. Tests move time only through the simulation.
class SkewedClock final : public Clock {
public:
    SkewedClock(const std::int64_t& now, std::int64_t mono_offset, std::int64_t wall_offset)
        : now_(now), mono_offset_(mono_offset), wall_offset_(wall_offset) {}
    MonoMs mono_ms() const override { return now_ + mono_offset_; }
    WallMs wall_ms() const override { return now_ + wall_offset_; }
    std::int64_t mono_offset() const { return mono_offset_; }
    void skew_wall(std::int64_t ms) { wall_offset_ += ms; }

private:
    const std::int64_t& now_;
    std::int64_t mono_offset_;
    std::int64_t wall_offset_;
};

struct SimConfig {
    std::size_t nodes = 10;
    std::uint64_t seed = 1;
    std::int64_t interval_ms = 1'000;
    double loss = 0.0;
    std::int64_t min_delay_ms = 2;
    std::int64_t max_delay_ms = 40;
    std::int64_t max_wall_skew_ms = 0;   // each node's wall clock: uniform in [-max, +max]
    std::size_t json_every = 1;          // encode+decode one message in this many (1: all)
    std::int64_t self_ttl_ms = 0;        // 0: as dnsd does, max(10 s, 3 rounds)
    GossipOptions gossip;                // template; self, seeds and rng_seed are per node
};

inline constexpr std::int64_t base_wall_ms = 1'770'000'000'000;

class Simulation {
public:
    explicit Simulation(SimConfig config) : config_(std::move(config)), rng_(config_.seed) {
        nodes_.resize(config_.nodes);
        std::uniform_int_distribution<std::int64_t> skew(-config_.max_wall_skew_ms,
                                                         config_.max_wall_skew_ms);
        std::uniform_int_distribution<std::int64_t> mono(0, 1'000'000'000);
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            auto& n = nodes_[i];
            n.clock = std::make_unique<SkewedClock>(now_, mono(rng_), base_wall_ms + skew(rng_));
            n.address = address_of(i);
            by_address_[n.address] = i;
        }
        for (std::size_t i = 0; i < nodes_.size(); ++i) boot(i);
    }

    std::size_t size() const { return nodes_.size(); }
    std::int64_t now() const { return now_; }
    std::int64_t interval() const { return config_.interval_ms; }
    Registry& registry(std::size_t i) { return *nodes_[i].registry; }
    GossipNode& gossip(std::size_t i) { return *nodes_[i].gossip; }
    SkewedClock& clock(std::size_t i) { return *nodes_[i].clock; }
    bool up(std::size_t i) const { return nodes_[i].up; }
    std::uint64_t bytes_sent(std::size_t i) const { return nodes_[i].bytes_sent; }
    std::uint64_t messages_sent() const { return messages_; }
    std::uint64_t decode_failures() const { return decode_failures_; }
    static std::string node_id(std::size_t i) { return "node-" + std::to_string(i); }

    void set_loss(double loss) { config_.loss = loss; }
    // side(i): messages only pass between nodes on the same side.
    void partition(std::function<int(std::size_t)> side) { side_ = std::move(side); }
    void heal() { side_ = nullptr; }

    void crash(std::size_t i) { nodes_[i].up = false; }
    // A new process: empty registry, new incarnation, same address.
    void restart(std::size_t i) {
        ++nodes_[i].restarts;
        boot(i);
    }

    // Runs every event up to `until` (simulation ms).
    void run_until(std::int64_t until) {
        while (!events_.empty() && events_.top().at <= until) {
            Event e = events_.top();
            events_.pop();
            now_ = e.at;
            if (e.kind == Event::Kind::tick) on_tick(e);
            else if (e.kind == Event::Kind::deliver) on_deliver(e);
            else on_action(e);
        }
        now_ = until;
    }
    void run_rounds(double rounds) {
        run_until(now_ + static_cast<std::int64_t>(rounds * static_cast<double>(config_.interval_ms)));
    }
    // Steps in tenths of a round until pred() holds; the rounds it took, or nullopt.
    std::optional<double> rounds_until(const std::function<bool()>& pred, double max_rounds) {
        const std::int64_t start = now_;
        const std::int64_t step = config_.interval_ms / 10;
        while (now_ - start <= static_cast<std::int64_t>(max_rounds * static_cast<double>(config_.interval_ms))) {
            if (pred()) return static_cast<double>(now_ - start) / static_cast<double>(config_.interval_ms);
            run_until(now_ + step);
        }
        return std::nullopt;
    }

    // Something a client does at a node at a simulation time (a heartbeat, a DELETE). The
    // node's gossip is flushed after it, as the HTTP layer does after commit.
    void at(std::int64_t when, std::size_t node, std::function<void(Registry&)> action) {
        push_event(Event{when, 0, Event::Kind::action, node, 0, {}, std::move(action)});
    }
    void now_at(std::size_t node, const std::function<void(Registry&)>& action) {
        action(registry(node));
        gossip(node).flush();
    }
    // A client heartbeating `spec` to `node` every `period_ms` from `from` until `until`.
    void heartbeat(std::size_t node, InstanceSpec spec, std::int64_t period_ms, std::int64_t from,
                   std::int64_t until) {
        for (std::int64_t t = from; t < until; t += period_ms)
            at(t, node, [spec](Registry& r) { r.renew(spec); });
    }

    // Sim time at which node i's copy of (service, id) ends its lease, if it has a live one.
    std::optional<std::int64_t> lease_end(std::size_t i, std::string_view service, std::string_view id) {
        const Instance* inst = registry(i).find(service, id);
        if (inst == nullptr) return std::nullopt;
        return inst->expires_at() - clock(i).mono_offset();
    }
    bool has_live(std::size_t i, std::string_view service, std::string_view id) {
        const Instance* inst = registry(i).find(service, id);
        return inst != nullptr && !inst->expired(clock(i).mono_ms());
    }
    std::size_t live_members(std::size_t i) {
        const Service* s = registry(i).find(kNodeService);
        if (s == nullptr) return 0;
        std::size_t n = 0;
        for (const auto& [id, inst] : s->instances) n += !inst.expired(clock(i).mono_ms());
        return n;
    }
    template <typename Pred>
    bool all_up(Pred pred) {
        for (std::size_t i = 0; i < nodes_.size(); ++i)
            if (nodes_[i].up && !pred(i)) return false;
        return true;
    }

    static InstanceSpec instance(std::string service, std::string id, std::int64_t ttl_ms = 30'000,
                                 std::uint16_t port = 8080) {
        InstanceSpec s;
        s.service = std::move(service);
        s.id = std::move(id);
        s.address = *IpAddress::parse("192.0.2.10");
        s.port = port;
        s.ttl_ms = ttl_ms;
        return s;
    }

private:
    struct Node {
        std::unique_ptr<SkewedClock> clock;
        std::unique_ptr<Registry> registry;
        std::unique_ptr<GossipTransport> transport;
        std::unique_ptr<GossipNode> gossip;
        std::string address;
        bool up = true;
        std::uint64_t restarts = 0;
        std::uint64_t bytes_sent = 0;
    };
    struct Event {
        enum class Kind { tick, deliver, action };
        std::int64_t at = 0;
        std::uint64_t order = 0;
        Kind kind = Kind::tick;
        std::size_t node = 0;
        std::uint64_t generation = 0;  // a tick of a previous life of the node is void
        std::optional<GossipMessage> message;
        std::function<void(Registry&)> action;
        bool operator>(const Event& o) const { return at != o.at ? at > o.at : order > o.order; }
    };
    class Endpoint final : public GossipTransport {
    public:
        Endpoint(Simulation& sim, std::size_t self) : sim_(sim), self_(self) {}
        void send(const std::string& peer, GossipMessage message) override {
            sim_.send(self_, peer, std::move(message));
        }

    private:
        Simulation& sim_;
        std::size_t self_;
    };

    static std::string address_of(std::size_t i) {
        return "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) + ":8054";
    }

    void boot(std::size_t i) {
        Node& n = nodes_[i];
        n.up = true;
        n.registry = std::make_unique<Registry>(*n.clock);
        n.transport = std::make_unique<Endpoint>(*this, i);
        GossipOptions options = config_.gossip;
        options.interval_ms = config_.interval_ms;
        options.self.service = std::string(kNodeService);
        options.self.id = node_id(i);
        options.self.address = *IpAddress::parse(n.address.substr(0, n.address.find(':')));
        options.self.port = 8054;
        options.self.ttl_ms = config_.self_ttl_ms != 0 ? config_.self_ttl_ms : std::max<std::int64_t>(10'000, 3 * config_.interval_ms);
        options.self.node = node_id(i);
        options.seeds = {};
        if (i != 0) options.seeds.push_back(address_of(0));
        options.rng_seed = config_.seed * 1'000'003 + i * 7919 + n.restarts * 104'729 + 1;
        n.gossip = std::make_unique<GossipNode>(*n.registry, *n.transport, options);
        n.gossip->start();
        // Nodes tick at their own phase, as independent processes do.
        std::uniform_int_distribution<std::int64_t> phase(1, config_.interval_ms);
        push_event(Event{now_ + phase(rng_), 0, Event::Kind::tick, i, n.restarts, {}, {}});
    }

    void push_event(Event e) {
        e.order = order_++;
        events_.push(std::move(e));
    }

    void on_tick(const Event& e) {
        Node& n = nodes_[e.node];
        if (e.generation != n.restarts) return;
        if (n.up) n.gossip->tick();
        push_event(Event{now_ + config_.interval_ms, 0, Event::Kind::tick, e.node, n.restarts, {}, {}});
    }

    void on_action(const Event& e) {
        if (!nodes_[e.node].up) return;
        e.action(*nodes_[e.node].registry);
        nodes_[e.node].gossip->flush();
    }

    void on_deliver(const Event& e) {
        Node& n = nodes_[e.node];
        if (!n.up) return;
        auto reply = n.gossip->receive(*e.message);
        if (reply) send(e.node, sender_of(*e.message).address, std::move(*reply));
    }

    void send(std::size_t from, const std::string& to_address, GossipMessage message) {
        if (!nodes_[from].up) return;
        auto it = by_address_.find(to_address);
        if (it == by_address_.end()) return;
        const std::size_t to = it->second;
        ++messages_;
        if (config_.json_every <= 1 || messages_ % config_.json_every == 0) {
            const std::string body = encode_gossip(message);
            nodes_[from].bytes_sent += body.size() * std::max<std::size_t>(config_.json_every, 1);
            auto decoded = decode_gossip(body);
            if (auto* error = std::get_if<GossipDecodeError>(&decoded)) {
                ++decode_failures_;
                last_decode_error_ = error->reason;
                return;
            }
            message = std::get<GossipMessage>(std::move(decoded));
        }
        std::uniform_real_distribution<double> coin(0.0, 1.0);
        if (coin(rng_) < config_.loss) return;
        if (side_ && side_(from) != side_(to)) return;
        std::uniform_int_distribution<std::int64_t> delay(config_.min_delay_ms, config_.max_delay_ms);
        push_event(Event{now_ + delay(rng_), 0, Event::Kind::deliver, to, 0, std::move(message), {}});
    }

    SimConfig config_;
    std::mt19937_64 rng_;
    std::int64_t now_ = 0;
    std::uint64_t order_ = 0;
    std::uint64_t messages_ = 0;
    std::uint64_t decode_failures_ = 0;
    std::string last_decode_error_;
    std::vector<Node> nodes_;
    std::map<std::string, std::size_t> by_address_;
    std::function<int(std::size_t)> side_;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
};

}  // namespace dnsd::registry::sim
