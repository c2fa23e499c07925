#include "registry/gossip_node.hpp"

#include <algorithm>
#include <bit>

#include "registry/names.hpp"

namespace dnsd::registry {

namespace {

std::uint64_t seed_of(std::uint64_t configured) {
    if (configured != 0) return configured;
    std::random_device device;
    return (std::uint64_t{device()} << 32) ^ device();
}

}  // namespace

GossipNode::GossipNode(Registry& registry, GossipTransport& transport, GossipOptions options)
    : registry_(registry),
      transport_(transport),
      options_(std::move(options)),
      address_(peer_address(options_.self)),
      rng_(seed_of(options_.rng_seed)),
      // 53 bits: exact in any JSON reader. Never 0, which means "never exchanged".
      incarnation_((rng_() & ((std::uint64_t{1} << 53) - 1)) | 1),
      peers_(address_, options_.mention_ttl_ms),
      preservation_(options_.self_preservation) {
    for (const auto& seed : options_.seeds) peers_.add_seed(seed);
}

NodeInfo GossipNode::self_info() const {
    return NodeInfo{options_.self.id, address_, incarnation_, registry_.change_seq(),
                    registry_.index()};
}

void GossipNode::start() {
    renew_self();
    flush();
    pull_round();
}

void GossipNode::renew_self() { registry_.renew(options_.self); }

void GossipNode::tick() {
    ++stats_.rounds;
    flush();
    renew_self();
    preservation_.sweep(registry_);
    peers_.forget_stale(registry_, registry_.clock().mono_ms());
    flush();
    pull_round();
}

void GossipNode::leave() {
    flush();
    registry_.deregister(options_.self.service, options_.self.id);
    flush();
}

std::uint32_t GossipNode::hops() const {
    if (options_.push_hops != 0) return options_.push_hops;
    const std::size_t known = registry_.find(kNodeService) ? registry_.find(kNodeService)->instances.size() : 1;
    return static_cast<std::uint32_t>(std::bit_width(known) + 1);
}

void GossipNode::flush() {
    if (registry_.change_seq() == pushed_seq_) return;
    auto changes = registry_.changes_since(std::max(pushed_seq_, registry_.history_floor()));
    pushed_seq_ = registry_.change_seq();
    const std::uint64_t since_index = pushed_index_;
    pushed_index_ = registry_.index();
    if (!changes || changes->empty()) return;
    // News that changes answers (created, updated, deregistered) bumped the index: it spreads
    // by infection. A pure renewal only moves a lease: one hop gives pulls a head start, and
    // pulls carry it on; forwarding every heartbeat would cost the cluster a spread each.
    ChangeSet structural;
    ChangeSet renewals;
    for (auto& copy : changes->instances) {
        const Instance* inst = registry_.find(copy.spec.service, copy.spec.id);
        auto& to = inst && inst->modify_index > since_index ? structural : renewals;
        to.instances.push_back(std::move(copy));
    }
    structural.tombstones = std::move(changes->tombstones);
    if (!structural.empty()) push(structural, hops(), "");
    if (!renewals.empty()) push(renewals, 1, "");
}

void GossipNode::push(const ChangeSet& changes, std::uint32_t hop_count, const std::string& except) {
    const MonoMs now = registry_.clock().mono_ms();
    for (const auto& peer : pick(peers_.candidates(registry_, now), options_.push_fanout, except)) {
        ++stats_.pushes_sent;
        transport_.send(peer, Push{self_info(), hop_count, changes});
    }
}

std::vector<std::string> GossipNode::pick(std::vector<PeerCandidate> candidates, std::size_t n,
                                          const std::string& except) {
    std::erase_if(candidates, [&](const PeerCandidate& c) { return c.address == except; });
    std::shuffle(candidates.begin(), candidates.end(), rng_);
    std::vector<std::string> out;
    for (const auto& c : candidates) {
        if (out.size() == n) break;
        out.push_back(c.address);
    }
    return out;
}

void GossipNode::refresh_partners(const std::vector<PeerCandidate>& candidates, MonoMs now) {
    const std::int64_t timeout = options_.partner_timeout_rounds * options_.interval_ms;
    std::erase_if(partners_, [&](const std::string& p) {
        const bool candidate = std::any_of(candidates.begin(), candidates.end(),
                                           [&](const PeerCandidate& c) { return c.address == p; });
        const PeerState* state = peers_.find(p);
        const MonoMs heard = std::max(state ? state->last_heard : 0, partner_since_[p]);
        const bool silent = now - heard > timeout;
        if (!candidate || silent) partner_since_.erase(p);
        return !candidate || silent;
    });
    std::vector<PeerCandidate> others;
    for (const auto& c : candidates)
        if (std::find(partners_.begin(), partners_.end(), c.address) == partners_.end()) others.push_back(c);
    for (auto& p : pick(std::move(others), options_.partners - std::min(partners_.size(), options_.partners), "")) {
        partner_since_[p] = now;
        partners_.push_back(std::move(p));
    }
}

void GossipNode::pull_round() {
    const MonoMs now = registry_.clock().mono_ms();
    auto candidates = peers_.candidates(registry_, now);
    refresh_partners(candidates, now);
    std::erase_if(candidates, [&](const PeerCandidate& c) {
        return std::find(partners_.begin(), partners_.end(), c.address) != partners_.end();
    });
    std::shuffle(candidates.begin(), candidates.end(), rng_);
    // Incremental probing: peers whose lease here runs low first, but keep one random slot so
    // that a node with many failing peers still meets the healthy ones.
    std::stable_partition(candidates.begin(), candidates.end(),
                          [](const PeerCandidate& c) { return c.urgent; });
    std::vector<std::string> targets = partners_;
    const std::size_t urgent_slots = targets.size() + (options_.pull_fanout > 1 ? options_.pull_fanout - 1 : 1);
    for (const auto& c : candidates) {
        if (targets.size() == urgent_slots || !c.urgent) break;
        targets.push_back(c.address);
    }
    std::vector<PeerCandidate> rest;
    for (const auto& c : candidates)
        if (std::find(targets.begin(), targets.end(), c.address) == targets.end()) rest.push_back(c);
    const std::size_t wanted = partners_.size() + options_.pull_fanout;
    for (auto& t : pick(std::move(rest), wanted - std::min(targets.size(), wanted), ""))
        targets.push_back(std::move(t));

    const bool backstop = options_.full_sync_every != 0 && stats_.rounds % options_.full_sync_every == 0 &&
                          stats_.rounds != 0;
    bool full_asked = false;
    // Every pull asks for the same keys: under loss, one answer of several is enough.
    // A walk over every instance: not for a node with nobody to ask.
    std::vector<InstanceKey> refresh;
    if (!targets.empty()) refresh = registry_.expiring_soon(options_.max_refresh);
    std::erase_if(refresh, [&](const InstanceKey& k) { return k.first == options_.self.service && k.second == options_.self.id; });
    for (const auto& target : targets) {
        PullRequest request;
        request.sender = self_info();
        request.peers = status_peers();
        request.refresh = refresh;
        if (const PeerState* p = peers_.find(target); p && p->incarnation != 0) {
            request.known_incarnation = p->incarnation;
            request.known_seq = p->seq;
        }
        // One full state per round at most: a restarted node needs one copy, not several.
        if ((!synced_ || backstop) && !full_asked) {
            request.want_full = true;
            full_asked = true;
        }
        // Since the last reply, plus a few rounds: a node passes a renewal on only while it is
        // in its window, and a short infectious period lets the spread die out before it
        // reaches everyone (SIR: with ~2 new infections per node, a fifth is never reached).
        request.window_ms = synced_ ? now - last_reply_ + options_.window_extra_rounds * options_.interval_ms : 0;
        pull_sent_[target] = now;
        ++stats_.pulls_sent;
        transport_.send(target, std::move(request));
    }
}

std::vector<std::string> GossipNode::status_peers() {
    auto live = peers_.live(registry_, registry_.clock().mono_ms());
    const std::size_t keep = (live.size() + 2) / 3;
    std::shuffle(live.begin(), live.end(), rng_);
    live.resize(keep);
    return live;
}

void GossipNode::learn(const NodeInfo& sender, const std::vector<std::string>& peers) {
    const MonoMs now = registry_.clock().mono_ms();
    peers_.heard_from(sender, now);
    for (const auto& p : peers) peers_.mentioned(p, now);
}

std::optional<GossipMessage> GossipNode::receive(const GossipMessage& message) {
    // Local changes made since the last call are pushed first, so pushed_seq_ may then skip
    // over what the merge below adds: merged news is passed on by push forwarding, not flush.
    flush();
    std::optional<GossipMessage> reply;
    if (const auto* request = std::get_if<PullRequest>(&message)) {
        learn(request->sender, request->peers);
        reply = answer(*request);
    } else if (const auto* pull_reply = std::get_if<PullReply>(&message)) {
        merge_reply(*pull_reply);
    } else {
        merge_push(std::get<Push>(message));
    }
    pushed_seq_ = registry_.change_seq();
    pushed_index_ = registry_.index();
    return reply;
}

PullReply GossipNode::answer(const PullRequest& request) {
    PullReply reply;
    reply.sender = self_info();
    reply.peers = status_peers();
    std::optional<ChangeSet> delta;
    if (request.known_incarnation == incarnation_ && !request.want_full)
        delta = registry_.changes_since(request.known_seq);
    const bool restarted_here = request.known_incarnation != 0 && request.known_incarnation != incarnation_;
    if (delta) {
        reply.mode = PullMode::delta;
        reply.changes = std::move(*delta);
    } else if (request.want_full || restarted_here || request.window_ms <= 0) {
        reply.mode = PullMode::full;
        reply.changes = registry_.full_state();
    } else {
        reply.mode = PullMode::window;
        reply.changes = registry_.changes_within(request.window_ms);
    }
    // Copies asked for by key may repeat some of the above: merging them twice is harmless.
    registry_.append_copies(reply.changes, request.refresh);
    return reply;
}

ChangeSet GossipNode::merge_all(const ChangeSet& changes, std::int64_t extra_age_ms) {
    ChangeSet news;
    news.from_seq = changes.from_seq;
    news.to_seq = changes.to_seq;
    std::size_t renewals_and_news = 0;
    for (const auto& copy : changes.instances) {
        // Never accept a copy of ourselves from others: we are its only source.
        if (copy.spec.service == options_.self.service && copy.spec.id == options_.self.id) continue;
        ++stats_.entries_received;
        InstanceCopy aged = copy;
        aged.age_ms += extra_age_ms;
        const MergeResult result = registry_.merge(aged);
        if (!is_news(result)) continue;
        ++renewals_and_news;
        // Renewals are not passed on by push (see flush): only what changes answers is.
        if (result != MergeResult::renewed) news.instances.push_back(std::move(aged));
    }
    for (const auto& tomb : changes.tombstones) {
        if (tomb.key.first == options_.self.service && tomb.key.second == options_.self.id) continue;
        ++stats_.entries_received;
        TombstoneCopy aged = tomb;
        aged.age_ms += extra_age_ms;
        if (!is_news(registry_.merge(aged))) continue;
        ++renewals_and_news;
        news.tombstones.push_back(std::move(aged));
    }
    stats_.entries_news += renewals_and_news;
    if (renewals_and_news > 0) preservation_.note_peer_news(registry_.clock().mono_ms());
    return news;
}

void GossipNode::merge_reply(const PullReply& reply) {
    const MonoMs now = registry_.clock().mono_ms();
    learn(reply.sender, reply.peers);
    // The whole round trip counts as age: the copy can only be younger than that, so a relayed
    // lease ends no later than at its source.
    std::int64_t round_trip = 0;
    if (auto it = pull_sent_.find(reply.sender.address); it != pull_sent_.end()) {
        round_trip = now - it->second;
        pull_sent_.erase(it);
    }
    merge_all(reply.changes, round_trip);
    ++stats_.replies_merged;
    if (reply.mode == PullMode::full) ++stats_.full_replies;
    if (reply.mode != PullMode::window) synced_ = true;
    last_reply_ = now;
    peers_.exchanged(reply.sender.address, reply.sender.incarnation, reply.changes.to_seq);
}

void GossipNode::merge_push(const Push& message) {
    learn(message.sender, {});
    ChangeSet news = merge_all(message.changes, 0);
    if (message.hops_left > 1 && !news.empty()) push(news, message.hops_left - 1, message.sender.address);
}

}  // namespace dnsd::registry
