#include "registry/expiry_heap.hpp"

namespace dnsd::registry {

void ExpiryHeap::place(std::size_t slot, Entry entry) {
    entry.instance->expiry_slot = static_cast<std::uint32_t>(slot);
    entries_[slot] = entry;
}

void ExpiryHeap::sift_up(std::size_t slot) {
    const Entry moving = entries_[slot];
    while (slot > 0) {
        const std::size_t parent = (slot - 1) / 2;
        if (entries_[parent].at <= moving.at) break;
        place(slot, entries_[parent]);
        slot = parent;
    }
    place(slot, moving);
}

void ExpiryHeap::sift_down(std::size_t slot) {
    const Entry moving = entries_[slot];
    const std::size_t n = entries_.size();
    for (;;) {
        std::size_t child = 2 * slot + 1;
        if (child >= n) break;
        if (child + 1 < n && entries_[child + 1].at < entries_[child].at) ++child;
        if (moving.at <= entries_[child].at) break;
        place(slot, entries_[child]);
        slot = child;
    }
    place(slot, moving);
}

void ExpiryHeap::schedule(Instance& instance) {
    const MonoMs at = instance.expires_at();
    if (contains(instance)) {
        const std::size_t slot = instance.expiry_slot;
        const MonoMs before = entries_[slot].at;
        entries_[slot].at = at;
        if (at < before) sift_up(slot);
        else sift_down(slot);
        return;
    }
    entries_.push_back(Entry{at, &instance});
    sift_up(entries_.size() - 1);
}

void ExpiryHeap::remove(Instance& instance) {
    if (!contains(instance)) return;
    const std::size_t slot = instance.expiry_slot;
    instance.expiry_slot = Instance::no_slot;
    const Entry last = entries_.back();
    entries_.pop_back();
    if (slot == entries_.size()) return;  // it was the last entry
    place(slot, last);
    if (slot > 0 && entries_[(slot - 1) / 2].at > last.at) sift_up(slot);
    else sift_down(slot);
}

}  // namespace dnsd::registry
