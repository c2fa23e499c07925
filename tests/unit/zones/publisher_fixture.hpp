#pragma once
// A registry on a manual clock, a publisher for apex "svc", and questions to what it published:
// the fixture of the tests that drive zones through ZonePublisher::update.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "zone_test_support.hpp"
#include "zones/publisher.hpp"
#include "zones/query.hpp"

namespace dnsd::zones::test {

class PublisherFixture : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock, registry::RegistryOptions{3'600'000, 10'000}};
    ZonePublisher zones{zone_options("svc", "me")};
    std::vector<std::uint8_t> reply = std::vector<std::uint8_t>(65535);

    // What Node::publish does: the registry's changes since the last call, incrementally.
    void publish() { zones.update(reg, reg.take_changed(), false); }

    Decoded ask(const Snapshot& snap, const std::string& name, std::uint16_t qtype) {
        const AnswerInfo info = answer_query(make_query(name, qtype), reply, snap, clock.mono_ms(), false);
        return Decoded(std::span<const std::uint8_t>(reply).first(info.size));
    }
    Decoded ask(const std::shared_ptr<const Snapshot>& snap, const std::string& name, std::uint16_t qtype) {
        return ask(*snap, name, qtype);
    }
};

}  // namespace dnsd::zones::test
