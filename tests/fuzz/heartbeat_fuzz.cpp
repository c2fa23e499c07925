// Fuzzes the POST /v1/heartbeat body parser (dnsd/heartbeat_request.hpp) with arbitrary
// bytes. Properties: no crash or sanitizer report; a rejection has a reason; an accepted
// request holds only what SPEC.md allows, so nothing invalid can reach the registry or DNS.
#include <cstdint>
#include <string_view>

#include "dnsd/heartbeat_request.hpp"
#include "fuzz_check.hpp"
#include "registry/names.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto peer = *dnsd::registry::IpAddress::parse("192.0.2.1");
    static const dnsd::HeartbeatDefaults defaults{30, "node-1"};
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const dnsd::HeartbeatParse parsed = dnsd::parse_heartbeat(body, peer, defaults);
    if (const auto* error = std::get_if<dnsd::HeartbeatError>(&parsed)) {
        FUZZ_CHECK(!error->message.empty(), "a rejection says why");
        return 0;
    }
    const auto& request = std::get<dnsd::HeartbeatRequest>(parsed);
    FUZZ_CHECK(!request.heartbeats.empty() || request.batch, "a single object yields one heartbeat");
    for (const dnsd::Heartbeat& h : request.heartbeats) {
        const auto& s = h.spec;
        FUZZ_CHECK(dnsd::registry::is_valid_label(s.service), "service is a DNS label");
        FUZZ_CHECK(dnsd::registry::canonical_label(s.service) == s.service, "service is canonical");
        FUZZ_CHECK(dnsd::registry::is_valid_label(s.id), "id is a DNS label");
        FUZZ_CHECK(dnsd::registry::canonical_label(s.id) == s.id, "id is canonical");
        FUZZ_CHECK(s.port >= 1, "port is 1-65535");
        FUZZ_CHECK(s.ttl_ms >= 1000 && s.ttl_ms <= dnsd::kMaxTtlSeconds * 1000, "ttl is 1-86400 s");
        FUZZ_CHECK(s.version.size() <= dnsd::kMaxVersionBytes, "version fits a TXT string");
        for (const auto& [key, value] : s.meta) {
            FUZZ_CHECK(!key.empty() && key.find('=') == std::string::npos, "meta key is usable");
            FUZZ_CHECK(key.size() + 1 + value.size() <= dnsd::kMaxTxtString, "meta fits a TXT string");
        }
        FUZZ_CHECK(s.node == defaults.node, "the node stamps its own name");
    }
    return 0;
}
