#include "zones/static_records_builder.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "zones/wire_types.hpp"

namespace dnsd::zones {

namespace {

constexpr std::size_t max_chain = 8;

using RrsetsByOwner = std::map<std::string, std::vector<const StaticRRset*>, std::less<>>;

// A CNAME's target, lower-cased: names in rdata keep the file's case, zone names do not.
// Length bytes are at most 63, below 'A', so lower-casing every byte is safe.
std::string target_of(const StaticRRset& cname) {
    std::string wire(cname.rdatas.front().begin(), cname.rdatas.front().end());
    for (char& c : wire)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return wire;
}

class Preparer {
public:
    Preparer(AnswerBuilder& builder, StaticRecords& records) : builder_(builder), records_(records) {}

    // An answer to `qname`: the RRsets of `chain` in order. All but CNAMEs rotate (only the first
    // such RRset of an answer does; a chased answer has one).
    PreparedAnswer answer(const DnsName& qname, const std::vector<const StaticRRset*>& chain) {
        builder_.begin(records_.store, qname);
        for (const StaticRRset* rrset : chain) {
            const bool cname = rrset->type == to_u16(RrType::cname);
            builder_.begin_rrset(Section::answer, group_of(*rrset),
                                 cname ? RrsetOrder::fixed : RrsetOrder::cyclic);
            for (const auto& rdata : rrset->rdatas)
                builder_.add(rrset->owner, static_cast<RrType>(rrset->type),
                             [&](WireWriter& w) { w.bytes(std::span<const std::uint8_t>(rdata)); });
        }
        return builder_.finish();
    }

private:
    std::uint32_t group_of(const StaticRRset& rrset) {
        const auto [it, inserted] = groups_.try_emplace(&rrset, 0);
        if (inserted) it->second = records_.store.add_group({}, rrset.ttl);
        return it->second;
    }

    AnswerBuilder& builder_;
    StaticRecords& records_;
    std::map<const StaticRRset*, std::uint32_t> groups_;
};

// The CNAMEs from `first` on, and the RRsets where the chain ends (empty when it leaves the
// zone file, loops or runs too long).
struct Chain {
    std::vector<const StaticRRset*> cnames;
    const std::vector<const StaticRRset*>* end = nullptr;
};

Chain follow(const StaticRRset& first, const RrsetsByOwner& by_owner) {
    Chain chain{{&first}, nullptr};
    std::set<std::string> seen{std::string(first.owner.wire())};
    while (chain.cnames.size() <= max_chain) {
        const std::string target = target_of(*chain.cnames.back());
        if (!seen.insert(target).second) return {chain.cnames, nullptr};
        const auto it = by_owner.find(target);
        if (it == by_owner.end()) return chain;
        const StaticRRset* next = it->second.front();
        if (next->type != to_u16(RrType::cname)) {
            chain.end = &it->second;
            return chain;
        }
        chain.cnames.push_back(next);
    }
    return chain;
}

}  // namespace

std::shared_ptr<const StaticRecords> build_static_records(AnswerBuilder& builder, const StaticZone& zone,
                                                          const DnsName& apex) {
    auto records = std::make_shared<StaticRecords>();
    RrsetsByOwner by_owner;
    for (const StaticRRset& rrset : zone.rrsets())
        if (rrset.owner.ends_with(apex) && !rrset.rdatas.empty())
            by_owner[std::string(rrset.owner.wire())].push_back(&rrset);

    Preparer prepare(builder, *records);
    for (const auto& [wire, rrsets] : by_owner) {
        StaticNode& node = records->nodes[wire];
        const DnsName& owner = rrsets.front()->owner;
        if (rrsets.front()->type == to_u16(RrType::cname)) {
            // StaticZone refuses a CNAME beside other data: it is the name's only RRset.
            node.cname = true;
            Chain chain = follow(*rrsets.front(), by_owner);
            node.answers.push_back({to_u16(RrType::cname), prepare.answer(owner, chain.cnames)});
            for (const StaticRRset* end : chain.end ? *chain.end : std::vector<const StaticRRset*>{}) {
                std::vector<const StaticRRset*> whole = chain.cnames;
                whole.push_back(end);
                node.answers.push_back({end->type, prepare.answer(owner, whole)});
            }
        } else {
            for (const StaticRRset* rrset : rrsets) node.answers.push_back({rrset->type, prepare.answer(owner, {rrset})});
        }
    }
    // Every name between an owner and the apex exists too, if only as an empty non-terminal.
    for (const auto& [wire, rrsets] : by_owner) {
        std::string_view above(wire);
        while (above.size() > apex.size()) {
            above.remove_prefix(1 + static_cast<std::uint8_t>(above.front()));
            records->nodes.try_emplace(std::string(above));
        }
    }
    records->store.shrink();
    return records;
}

}  // namespace dnsd::zones
