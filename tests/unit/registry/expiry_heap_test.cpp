// The indexed expiry heap: the top is always the earliest lease end, after any mix of
// schedules (new or moved) and removals, and every instance knows where its entry is.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "registry/expiry_heap.hpp"

namespace dnsd::registry {
namespace {

TEST(ExpiryHeapTest, TopIsTheEarliestLeaseEndThroughMovesAndRemovals) {
    std::vector<Instance> instances(200);
    ExpiryHeap heap;
    std::mt19937 rng(5);
    for (int round = 0; round < 5'000; ++round) {
        Instance& inst = instances[rng() % instances.size()];
        if (rng() % 4 == 0) {
            heap.remove(inst);
            EXPECT_EQ(inst.expiry_slot, Instance::no_slot);
        } else {
            inst.rcv_ts = static_cast<MonoMs>(rng() % 100'000);
            inst.spec.ttl_ms = 1 + rng() % 30'000;
            heap.schedule(inst);
            ASSERT_TRUE(heap.contains(inst));
        }
        std::size_t scheduled = 0;
        MonoMs earliest = 0;
        for (const Instance& i : instances) {
            if (!heap.contains(i)) continue;
            earliest = scheduled++ == 0 ? i.expires_at() : std::min(earliest, i.expires_at());
        }
        ASSERT_EQ(heap.size(), scheduled);
        if (scheduled > 0) {
            ASSERT_EQ(heap.top().at, earliest);
            ASSERT_EQ(heap.top().instance->expires_at(), earliest);
        }
    }
}

TEST(ExpiryHeapTest, RemovingEverythingLeavesItEmpty) {
    std::vector<Instance> instances(50);
    ExpiryHeap heap;
    for (std::size_t i = 0; i < instances.size(); ++i) {
        instances[i].rcv_ts = static_cast<MonoMs>((i * 37) % 50);
        heap.schedule(instances[i]);
    }
    for (std::size_t i = 0; i < instances.size(); i += 2) heap.remove(instances[i]);
    MonoMs last = -1;
    while (!heap.empty()) {
        Instance& top = *heap.top().instance;
        EXPECT_GE(top.expires_at(), last);
        last = top.expires_at();
        heap.remove(top);
    }
    for (const Instance& inst : instances) EXPECT_FALSE(heap.contains(inst));
}

}  // namespace
}  // namespace dnsd::registry
