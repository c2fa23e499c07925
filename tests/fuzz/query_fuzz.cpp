// Fuzzes the DNS query path (zones::answer_query) with arbitrary bytes as the query, against a
// small but complete zone: services with IPv4/IPv6 instances, TXT metadata, a known service
// without instances and one too big for UDP. Each input is answered as over UDP and over TCP.
// Properties: no crash or sanitizer report, the reply fits its transport's limit, and any
// reply is a DNS message ldns can decode, with QR set, the query's ID and a consistent TC.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "fuzz_check.hpp"
#include "registry/clock.hpp"
#include "registry/registry.hpp"
#include "zones/publisher.hpp"
#include "zones/query.hpp"

// Last: ldns.h's C macros (bool, true, false) must not reach the C++ headers.
#include <ldns/ldns.h>

namespace {

using namespace dnsd;

registry::InstanceSpec spec(std::string service, std::string id, std::string address,
                            std::uint16_t port) {
    registry::InstanceSpec s;
    s.service = std::move(service);
    s.id = std::move(id);
    s.address = *registry::IpAddress::parse(address);
    s.port = port;
    s.ttl_ms = 600'000;
    s.node = "node-1";
    return s;
}

struct World {
    registry::ManualClock clock;
    registry::Registry registry{clock};
    zones::ZonePublisher publisher{zones::ZoneOptions{"svc", 5, "node-1"}};

    World() {
        auto api1 = spec("api", "api-1", "10.0.0.1", 8861);
        api1.version = "1.2.3";
        api1.meta = {{"zone", "a"}, {"tier", "gold"}};
        registry.renew(api1);
        registry.renew(spec("api", "api-2", "fd00::2", 8861));
        registry.renew(spec("dnsd", "node-1", "127.0.0.1", 8054));
        registry.renew(spec("gone", "gone-1", "10.9.0.1", 9));
        registry.deregister("gone", "gone-1");
        for (int i = 0; i < 100; ++i)
            registry.renew(spec("big", "big-" + std::to_string(i), "10.1.0." + std::to_string(i + 1), 7000));
        publisher.update(registry, {}, true);
        // Half-way through the leases: TTLs come from the lease cells, not only max_ttl.
        clock.advance_ms(300'000);
    }
};

const World& world() {
    static const auto* w = new World;  // never destroyed: the fuzzer exits without unwinding
    return *w;
}

void check_reply(std::span<const std::uint8_t> query, std::span<const std::uint8_t> reply,
                 const zones::AnswerInfo& info, bool over_tcp) {
    FUZZ_CHECK(info.size <= reply.size(), "reply size within the buffer");
    if (!over_tcp) FUZZ_CHECK(info.size <= 1232, "UDP reply within the largest EDNS size dnsd allows");
    if (info.size == 0) return;
    FUZZ_CHECK(info.size >= 12, "a reply has at least a header");
    FUZZ_CHECK(query.size() >= 2, "a reply needs a query ID to echo");
    FUZZ_CHECK(reply[0] == query[0] && reply[1] == query[1], "reply echoes the query ID");
    FUZZ_CHECK((reply[2] & 0x80) != 0, "QR is set");
    FUZZ_CHECK(((reply[2] & 0x02) != 0) == info.truncated, "TC bit agrees with AnswerInfo::truncated");
    FUZZ_CHECK((reply[3] & 0x0f) == (info.rcode & 0x0f), "header rcode agrees with AnswerInfo::rcode");

    ldns_pkt* pkt = nullptr;
    const ldns_status status = ldns_wire2pkt(&pkt, reply.data(), info.size);
    if (status != LDNS_STATUS_OK) {
        std::fprintf(stderr, "ldns cannot decode the reply (%s), %zu bytes, tcp=%d\n",
                     ldns_get_errorstr_by_id(status), info.size, over_tcp ? 1 : 0);
        std::abort();
    }
    FUZZ_CHECK(ldns_pkt_qr(pkt), "ldns sees QR");
    FUZZ_CHECK(ldns_pkt_id(pkt) == ((query[0] << 8) | query[1]), "ldns sees the query ID");
    ldns_pkt_free(pkt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static auto* reply = new std::array<std::uint8_t, 65535>;
    const World& w = world();
    const std::shared_ptr<const zones::Snapshot> snapshot = w.publisher.current();
    const std::span<const std::uint8_t> query(data, size);
    for (const bool over_tcp : {false, true}) {
        const zones::AnswerInfo info =
            zones::answer_query(query, std::span<std::uint8_t>(*reply), *snapshot, w.clock.mono_ms(), over_tcp);
        check_reply(query, std::span<const std::uint8_t>(*reply), info, over_tcp);
    }
    return 0;
}
