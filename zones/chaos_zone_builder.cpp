#include "zones/chaos_zone_builder.hpp"

#include <string>
#include <vector>

#include "zones/record_data.hpp"

namespace dnsd::zones {

namespace {
PreparedAnswer txt_answer(AnswerBuilder& builder, AnswerStore& store, std::uint32_t group,
                          const DnsName& name, const std::string& text) {
    const std::vector<std::string> strings{text};
    builder.begin(store, name, RrClass::ch);
    builder.begin_rrset(Section::answer, group);
    builder.add(name, RrType::txt, [&](WireWriter& w) { write_txt(w, strings); });
    return builder.finish();
}
}  // namespace

std::shared_ptr<const ChaosZone> build_chaos_zone(AnswerBuilder& builder, const ZoneOptions& options) {
    auto zone = std::make_shared<ChaosZone>();
    const std::uint32_t uncached = zone->store.add_group({}, 0);
    const std::string version = options.version.empty() ? "dnsd" : "dnsd " + options.version;
    const std::string& node = options.node_name.empty() ? options.node_label : options.node_name;

    const auto add = [&](const char* text_name, const std::string& text) {
        const DnsName name = *DnsName::from_text(text_name);
        zone->names.push_back({name, txt_answer(builder, zone->store, uncached, name, text)});
    };
    add("version.bind", version);
    add("version.server", version);
    if (!node.empty()) {
        add("id.server", node);
        add("hostname.bind", node);
    }
    zone->store.shrink();
    return zone;
}

}  // namespace dnsd::zones
