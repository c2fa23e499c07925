// ServiceIndex against a plain std::map under many random edits: growth, replacement and
// backward-shift erasure in the open-addressing shards must keep every name findable, and each
// published index must stay exactly as it was when later edits copy its shards.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "zones/service_index.hpp"

namespace dnsd::zones {
namespace {

std::shared_ptr<const ServiceZone> model_zone(const std::string& name) {
    auto z = std::make_shared<ServiceZone>();
    z->name = name;
    return z;
}

void expect_same(const ServiceIndex& index, const std::map<std::string, const ServiceZone*>& model,
                 int universe) {
    EXPECT_EQ(index.size(), model.size());
    for (int i = 0; i < universe; ++i) {
        const std::string name = "svc-" + std::to_string(i);
        const auto it = model.find(name);
        ASSERT_EQ(index.find(name), it == model.end() ? nullptr : it->second) << name;
    }
}

TEST(ServiceIndexModel, RandomPutsAndErasesMatchAMapInEveryPublishedIndex) {
    // A universe of 6,000 names: about 23 per shard, so tables grow several times and probe
    // runs are long enough for erasure to shift entries back.
    constexpr int universe = 6000;
    std::mt19937 rng(7);
    ServiceIndex current;
    std::map<std::string, const ServiceZone*> model;
    std::vector<std::pair<ServiceIndex, std::map<std::string, const ServiceZone*>>> published;
    for (int round = 0; round < 12; ++round) {
        ServiceIndexEditor editor(current);
        const int edits = round < 4 ? 2000 : 600;
        for (int e = 0; e < edits; ++e) {
            const std::string name = "svc-" + std::to_string(rng() % universe);
            if (rng() % 3 == 0) {
                editor.erase(name);
                model.erase(name);
            } else {
                auto z = model_zone(name);
                model[name] = z.get();
                editor.put(std::move(z));
            }
        }
        current = std::move(editor).finish();
        expect_same(current, model, universe);
        published.emplace_back(current, model);
    }
    for (const auto& [index, expected] : published) expect_same(index, expected, universe);
}

TEST(ServiceIndexModel, ZonesLiveAsLongAsAnIndexHoldsThem) {
    std::weak_ptr<const ServiceZone> watched;
    ServiceIndex later;
    {
        ServiceIndexEditor first{ServiceIndex{}};
        auto z = model_zone("api");
        watched = z;
        first.put(std::move(z));
        const ServiceIndex base = std::move(first).finish();

        ServiceIndexEditor editor(base);
        editor.erase("api");
        later = std::move(editor).finish();
        EXPECT_EQ(later.find("api"), nullptr);
        EXPECT_FALSE(watched.expired()) << "the base index still serves it";
    }
    EXPECT_TRUE(watched.expired()) << "no index holds it any more";
    EXPECT_TRUE(later.empty());
}

}  // namespace
}  // namespace dnsd::zones
