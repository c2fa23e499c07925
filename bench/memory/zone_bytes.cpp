// The zone's share of dnsd's memory: fills a Registry with bench/memory's instances (SERVICES x
// PER, default 20,000 x 5), builds every service's zone as the publisher does, and prints the
// heap bytes the zones hold per instance (glibc mallinfo2, malloc's overhead included), then
// where they went: each prepared answer at S.<apex> with its TTL patches and cut points, the
// lease lists, the instance records and the fixed part of each ServiceZone. (The sets at
// _S._tcp.<apex> are written at query time from the records: nothing prepared.)
//
//   zone-bytes [SERVICES [PER]]
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "bench/memory/bench_instance.hpp"
#include "registry/clock.hpp"
#include "registry/registry.hpp"
#include "zones/answer_builder.hpp"
#include "zones/dns_name.hpp"
#include "zones/service_zone_builder.hpp"

namespace {

using namespace dnsd;

std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

// Bytes one prepared answer adds to its store: the message, its patches and its cuts.
struct AnswerBytes {
    double message = 0;
    double patches = 0;
    double cuts = 0;
    void add(const zones::PreparedAnswer& a) {
        message += a.size;
        patches += a.patch_count * sizeof(zones::TtlPatch);
        cuts += a.cut_count * sizeof(zones::CutPoint);
    }
    void print(const char* name, double n) const {
        std::printf("  %-8s message %6.1f  patches %5.1f  cuts %5.1f  (bytes per instance)\n", name,
                    message / n, patches / n, cuts / n);
    }
};

}  // namespace

int main(int argc, char** argv) {
    const int services = argc > 1 ? std::atoi(argv[1]) : 20'000;
    const int per = argc > 2 ? std::atoi(argv[2]) : 5;
    const double n = static_cast<double>(services) * per;

    registry::ManualClock clock;
    registry::Registry registry(clock);
    for (int s = 0; s < services; ++s)
        for (int i = 0; i < per; ++i)
            registry.restore_instance(bench::bench_instance(s, i, per), clock.wall_ms(), 3'600'000);
    registry.finish_restore();
    registry.take_changed();

    const zones::DnsName apex = *zones::DnsName::from_text("svc");
    zones::AnswerBuilder builder;
    std::vector<std::shared_ptr<const zones::ServiceZone>> built;
    built.reserve(registry.services().size());
    const std::size_t before = heap_in_use();
    for (const auto& [name, service] : registry.services())
        built.push_back(zones::build_service_zone(builder, apex, name, service, nullptr));
    const std::size_t after = heap_in_use();
    std::printf("%.0f instances in %d services: zone heap %.0f bytes per instance\n", n, services,
                static_cast<double>(after - before) / n);

    AnswerBytes a, srv;
    double members = 0, owners = 0, groups = 0, records = 0;
    for (const auto& zone : built) {
        a.add(zone->a);
        a.add(zone->aaaa);
        srv.add(zone->srv);
        members += zone->store.members.capacity() * sizeof(void*);
        owners += zone->store.owners.capacity() * sizeof(zone->store.owners[0]);
        groups += zone->store.groups.capacity() * sizeof(zone->store.groups[0]);
        zone->instances.for_each([&](const zones::InstanceRecord& r) {
            records += sizeof(zones::InstanceRecord) + r.id().size() + r.txt_rdata().size();
        });
    }
    a.print("A/AAAA", n);
    srv.print("SRV", n);
    std::printf("  lease lists: members %.1f, owners %.1f, groups %.1f\n", members / n, owners / n, groups / n);
    std::printf("  instance records (without malloc's overhead) %.1f\n", records / n);
    std::printf("  sizeof ServiceZone %zu (per instance %.1f)\n", sizeof(zones::ServiceZone),
                sizeof(zones::ServiceZone) * services / n);
    return 0;
}
