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

    // Calls f(const Instance&) for every entry that ends before `t`, in no particular order.
    // A subtree whose root ends at t or later holds nothing earlier, so the walk costs about
    // twice the entries it reports, not the size of the heap.
    template <class F>
    void for_each_before(MonoMs t, F&& f) const {
        if (entries_.empty() || entries_.front().at >= t) return;
        std::vector<std::size_t> pending{0};
        while (!pending.empty()) {
            const std::size_t slot = pending.back();
            pending.pop_back();
            f(static_cast<const Instance&>(*entries_[slot].instance));
            for (const std::size_t child : {2 * slot + 1, 2 * slot + 2})
                if (child < entries_.size() && entries_[child].at < t) pending.push_back(child);
        }
    }

private:
    void place(std::size_t slot, Entry entry);
    void sift_up(std::size_t slot);
    void sift_down(std::size_t slot);

    std::vector<Entry> entries_;
};

}  // namespace dnsd::registry
