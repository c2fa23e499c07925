#include "query_corpus.hpp"

#include <cctype>

namespace dnsd::diff {

std::vector<std::string> corpus_names(const ZoneModel& model) {
    const std::string apex = model.apex + ".";
    std::vector<std::string> names = {apex, "_tcp." + apex};
    for (const ModelService& s : model.services) {
        names.push_back(s.name + "." + apex);
        names.push_back("_" + s.name + "._tcp." + apex);
        names.push_back("nope." + s.name + "." + apex);  // no such instance, also below an empty service
        // The first two and the last instance: enough shapes without a query per member of
        // the big service.
        for (std::size_t i = 0; i < s.instances.size(); ++i)
            if (i < 2 || i + 1 == s.instances.size()) {
                names.push_back(s.instances[i].id + "." + s.name + "." + apex);
                names.push_back(s.instances[i].id + "._" + s.name + "._tcp." + apex);  // DNS-SD
            }
    }
    const std::string some_service = model.services.empty() ? "api" : model.services.front().name;
    for (const std::string& below : std::vector<std::string>{"nope", "x.nope", "_nope._tcp",
                                     "_tcp._tcp", "a.b.dnsd", "_services._dns-sd._udp", "_udp", "_dns-sd._udp",
                                     "x._services._dns-sd._udp", "nope._" + some_service + "._tcp",
                                     "_" + some_service + "._udp"})
        names.push_back(below + "." + apex);
    if (const ModelService* nodes = model.find("dnsd"); nodes && !nodes->instances.empty())
        names.push_back("sub." + nodes->instances.front().id + ".dnsd." + apex);
    // Outside: other TLDs, names that merely end in the apex's letters, the root.
    for (const std::string& outside : std::vector<std::string>{"example.com.", apex + "example.", "x" + apex, "."})
        names.push_back(outside);
    return names;
}

std::vector<std::string> case_variants(const std::string& name) {
    std::string upper = name;
    std::string mixed = name;
    bool up = false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        upper[i] = static_cast<char>(std::toupper(c));
        if (std::isalpha(c)) {
            mixed[i] = static_cast<char>(up ? std::toupper(c) : c);
            up = !up;
        }
    }
    std::vector<std::string> out;
    if (upper != name) out.push_back(upper);
    if (mixed != name && mixed != upper) out.push_back(mixed);
    return out;
}

const std::vector<ldns_rr_type>& corpus_types() {
    static const std::vector<ldns_rr_type> types = {
        LDNS_RR_TYPE_A,  LDNS_RR_TYPE_AAAA, LDNS_RR_TYPE_SRV, LDNS_RR_TYPE_TXT,
        LDNS_RR_TYPE_SOA, LDNS_RR_TYPE_NS,  LDNS_RR_TYPE_PTR, LDNS_RR_TYPE_ANY, LDNS_RR_TYPE_MX};
    return types;
}

std::vector<Query> udp_corpus(const ZoneModel& model) {
    std::vector<Query> queries;
    const std::vector<std::optional<std::uint16_t>> edns = {std::nullopt, 512, 1232, 4096};
    for (const std::string& name : corpus_names(model)) {
        for (ldns_rr_type type : corpus_types()) {
            for (const auto& size : edns) queries.push_back({name, type, e2e::Transport::udp, size});
            for (const std::string& variant : case_variants(name)) {
                queries.push_back({variant, type, e2e::Transport::udp, std::nullopt});
                queries.push_back({variant, type, e2e::Transport::udp, 1232});
            }
        }
    }
    return queries;
}

}  // namespace dnsd::diff
