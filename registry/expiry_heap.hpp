#pragma once
// The lease ends of every live instance, earliest first: what sweep() and next_deadline() need.
// An indexed binary heap of 16-byte entries pointing at the instances (which live in map nodes
// and never move); each instance knows its slot, so a renewal moves its entry in place and an
// erased instance takes its entry with it. The lazy heap it replaces copied both names into
// every entry and gained one per renewal: ~72 bytes per instance, and more under heartbeats.
#include <cstdint>
#include <limits>
#include <vector>

#include "registry/instance.hpp"

namespace dnsd::registry {

class ExpiryHeap {
public:
    struct Entry {
        MonoMs at;
        Instance* instance;
    };

    bool empty() const { return entries_.empty(); }
    std::size_t size() const { return entries_.size(); }
    const Entry& top() const { return entries_.front(); }

    // Adds the instance at its current expires_at(), or moves its entry there.
    void schedule(Instance& instance);
    // Takes the instance's entry out, if it has one.
    void remove(Instance& instance);
    bool contains(const Instance& instance) const { return instance.expiry_slot < entries_.size(); }

private:
    void place(std::size_t slot, Entry entry);
    void sift_up(std::size_t slot);
    void sift_down(std::size_t slot);

    std::vector<Entry> entries_;
};

}  // namespace dnsd::registry
