#include "registry/gossip_peer_table.hpp"

#include <set>

#include "registry/names.hpp"

namespace dnsd::registry {

std::string peer_address(const InstanceSpec& node) {
    const std::string host =
        node.address.is_v6() ? "[" + node.address.to_string() + "]" : node.address.to_string();
    return host + ":" + std::to_string(node.port);
}

PeerTable::PeerTable(std::string self_address, std::int64_t mention_ttl_ms)
    : self_(std::move(self_address)), mention_ttl_ms_(mention_ttl_ms) {}

void PeerTable::add_seed(const std::string& address) {
    if (address != self_) peers_[address].seed = true;
}

void PeerTable::mentioned(const std::string& address, MonoMs now) {
    if (address.empty() || address == self_) return;
    peers_[address].last_mentioned = now;
}

void PeerTable::heard_from(const NodeInfo& sender, MonoMs now) {
    if (sender.address.empty() || sender.address == self_) return;
    PeerState& p = peers_[sender.address];
    p.last_heard = now;
    p.last_mentioned = now;
    p.name = sender.name;
}

void PeerTable::exchanged(const std::string& address, std::uint64_t incarnation, std::uint64_t seq) {
    auto it = peers_.find(address);
    if (it == peers_.end()) return;
    it->second.incarnation = incarnation;
    it->second.seq = seq;
}

const PeerState* PeerTable::find(const std::string& address) const {
    auto it = peers_.find(address);
    return it == peers_.end() ? nullptr : &it->second;
}

bool PeerTable::recent(const PeerState& p, MonoMs now) const {
    return now - std::max(p.last_mentioned, p.last_heard) <= mention_ttl_ms_;
}

std::vector<PeerCandidate> PeerTable::candidates(const Registry& registry, MonoMs now) const {
    std::vector<PeerCandidate> out;
    std::set<std::string> seen{self_};
    if (const Service* nodes = registry.find(kNodeService)) {
        for (const auto& [id, inst] : nodes->instances) {
            std::string address = peer_address(inst.spec);
            if (!seen.insert(address).second) continue;
            const bool urgent = inst.remaining_ms(now) < inst.spec.ttl_ms / 3;
            out.push_back({std::move(address), urgent});
        }
    }
    for (const auto& [address, p] : peers_)
        if ((p.seed || recent(p, now)) && seen.insert(address).second)
            out.push_back({address, false});
    return out;
}

std::vector<std::string> PeerTable::live(const Registry& registry, MonoMs now) const {
    std::vector<std::string> out;
    std::set<std::string> seen{self_};
    if (const Service* nodes = registry.find(kNodeService)) {
        for (const auto& [id, inst] : nodes->instances) {
            if (inst.expired(now)) continue;
            std::string address = peer_address(inst.spec);
            if (seen.insert(address).second) out.push_back(std::move(address));
        }
    }
    for (const auto& [address, p] : peers_)
        if (p.last_heard != 0 && recent(p, now) && seen.insert(address).second)
            out.push_back(address);
    return out;
}

void PeerTable::forget_stale(const Registry& registry, MonoMs now) {
    std::set<std::string> members;
    if (const Service* nodes = registry.find(kNodeService))
        for (const auto& [id, inst] : nodes->instances) members.insert(peer_address(inst.spec));
    std::erase_if(peers_, [&](const auto& entry) {
        const PeerState& p = entry.second;
        return !p.seed && !recent(p, now) && !members.contains(entry.first);
    });
}

}  // namespace dnsd::registry
