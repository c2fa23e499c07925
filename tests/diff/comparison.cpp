#include "comparison.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace dnsd::diff {

namespace {

std::string join(const RecordSet& set) {
    if (set.empty()) return "{}";
    std::string out = "{";
    for (const std::string& r : set) out += "\n      " + r;
    return out + "}";
}

RecordSet lowered(const RecordSet& set) {
    RecordSet out;
    for (const std::string& r : set) out.insert(lower(r));
    return out;
}

class Report {
public:
    explicit Report(const Query& q) : query_(q.describe()) {}

    // Two types: ldns.h defines true and false as int macros.
    template <typename T, typename U>
    void same(const char* what, const T& dnsd, const U& knot) {
        if (dnsd == knot) return;
        std::ostringstream line;
        line << query_ << ": " << what << " differs: dnsd " << dnsd << ", knot " << knot;
        lines_.push_back(line.str());
    }
    void sets(const char* what, const RecordSet& dnsd, const RecordSet& knot) {
        if (dnsd == knot) return;
        RecordSet only_dnsd;
        RecordSet only_knot;
        std::set_difference(dnsd.begin(), dnsd.end(), knot.begin(), knot.end(),
                            std::inserter(only_dnsd, only_dnsd.end()));
        std::set_difference(knot.begin(), knot.end(), dnsd.begin(), dnsd.end(),
                            std::inserter(only_knot, only_knot.end()));
        lines_.push_back(query_ + ": " + what + " differs; only in dnsd: " + join(only_dnsd) +
                         "; only in knot: " + join(only_knot));
    }
    void fail(const std::string& why) { lines_.push_back(query_ + ": " + why); }
    std::vector<std::string> take() { return std::move(lines_); }

private:
    std::string query_;
    std::vector<std::string> lines_;
};

std::string opt_text(const std::optional<std::uint16_t>& size) {
    return size ? "OPT(" + std::to_string(*size) + ")" : "no OPT";
}

void compare_ttls(Report& report, const ReplyView& dnsd, const ReplyView& knot) {
    for (const auto& [record, ttl] : dnsd.ttl) {
        const auto k = knot.ttl.find(record);
        if (k != knot.ttl.end() && ttl > k->second)
            report.fail("TTL of " + record + " is " + std::to_string(ttl) + " in dnsd, above knot's " +
                        std::to_string(k->second));
    }
}

void compare_known_empty(Report& report, const ReplyView& dnsd, const Expectations& expect) {
    report.same("rcode (SPEC: NODATA for a known service)", dnsd.rcode, int{LDNS_RCODE_NOERROR});
    report.same("AA (SPEC)", dnsd.aa, true);
    report.sets("answer (SPEC: none)", dnsd.answer, {});
    report.sets("authority (SPEC: the apex SOA)", lowered(dnsd.authority), lowered(expect.apex_soa));
}

void compare_any(Report& report, const ReplyView& dnsd, const ReplyView& knot,
                 const Expectations& expect) {
    report.same("rcode", dnsd.rcode, knot.rcode);
    report.same("AA", dnsd.aa, knot.aa);
    report.same("TC", dnsd.tc, knot.tc);
    if (knot.answer.empty()) {
        report.sets("answer (ANY where the name has no records)", dnsd.answer, {});
        report.sets("authority", dnsd.authority, knot.authority);
        return;
    }
    if (dnsd.answer_types().size() != 1)
        report.fail("ANY answer should be exactly one RRset (RFC 8482), dnsd gave " +
                    join(dnsd.answer));
    for (const std::string& record : dnsd.answer)
        if (!lowered(expect.name_records).contains(lower(record)))
            report.fail("ANY answer record not in knot's data for the name: " + record);
    if (!dnsd.answer.empty()) {
        // Whole RRset: every record of that type at the name.
        const std::string type = *dnsd.answer_types().begin();
        std::size_t expected = 0;
        for (const std::string& r : expect.name_records)
            if (lower(type_of(r)) == lower(type)) ++expected;
        if (dnsd.answer.size() != expected)
            report.fail("ANY answer's " + type + " RRset is not whole: " +
                        std::to_string(dnsd.answer.size()) + " of " + std::to_string(expected));
    }
}

// Loose by design: servers choose what to add (RFC 2181 §9 lets them leave it out), and dnsd
// adds more than Knot (a DNS-SD PTR brings the instances' SRV, TXT and addresses, RFC 6763
// §12.1). dnsd must give at least what Knot gives, and every extra must be a record of the zone.
void compare_additional(Report& report, const ReplyView& dnsd, const ReplyView& knot,
                        const Expectations& expect) {
    for (const std::string& record : knot.additional)
        if (!dnsd.additional.contains(record)) report.fail("additional lacks " + record + " that knot gives");
    for (const std::string& record : dnsd.additional) {
        if (knot.additional.contains(record)) continue;
        if (!expect.zone_has || !expect.zone_has(record))
            report.fail("additional has " + record + ", which is not in the zone");
    }
}

void compare_truncated(Report& report, const ReplyView& dnsd, const ReplyView& knot,
                       const Expectations& expect) {
    report.same("rcode", dnsd.rcode, knot.rcode);
    report.same("AA", dnsd.aa, knot.aa);
    for (const std::string& type : dnsd.answer_types()) {
        RecordSet whole;
        for (const std::string& r : expect.whole_answer)
            if (type_of(r) == type) whole.insert(r);
        if (dnsd.answer_of(type) != whole)
            report.fail("TC reply carries a partial " + type + " RRset: " + join(dnsd.answer_of(type)));
    }
}

}  // namespace

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string Query::describe() const {
    char* type_name = ldns_rr_type2str(type);
    std::string out = name + " " + (type_name != nullptr ? type_name : "?") +
                      (transport == e2e::Transport::udp ? " udp" : " tcp") +
                      (edns ? " edns=" + std::to_string(*edns) : " no-edns");
    LDNS_FREE(type_name);
    return out;
}

e2e::DnsQuestion Query::question() const {
    e2e::DnsQuestion q(name, type, transport);
    q.edns_udp_size = edns;
    return q;
}

std::vector<std::string> compare(const Query& query, const ReplyView& dnsd, const ReplyView& knot,
                                 const Expectations& expect) {
    Report report(query);
    if (!dnsd.ok) report.fail("no usable reply from dnsd: " + dnsd.failure);
    if (!knot.ok && expect.rule != Rule::spec_known_empty)
        report.fail("no usable reply from knot: " + knot.failure);
    if (!dnsd.ok || (!knot.ok && expect.rule != Rule::spec_known_empty)) return report.take();

    report.same("QR", dnsd.qr, true);
    report.same("question (case echoed)", dnsd.question, query.name);
    report.same("EDNS", opt_text(dnsd.edns_udp_size), opt_text(query.edns ? std::optional<std::uint16_t>(1232) : std::nullopt));
    if (expect.rule == Rule::spec_known_empty) {
        compare_known_empty(report, dnsd, expect);
        return report.take();
    }
    report.same("EDNS vs knot", opt_text(dnsd.edns_udp_size), opt_text(knot.edns_udp_size));
    compare_ttls(report, dnsd, knot);
    if (expect.rule == Rule::any_minimal) {
        compare_any(report, dnsd, knot, expect);
        return report.take();
    }
    report.same("rcode", dnsd.rcode, knot.rcode);
    report.same("AA", dnsd.aa, knot.aa);
    report.same("TC", dnsd.tc, knot.tc);
    if (dnsd.tc || knot.tc) {
        compare_truncated(report, dnsd, knot, expect);
        return report.take();
    }
    report.sets("answer", dnsd.answer, knot.answer);
    report.sets("authority", dnsd.authority, knot.authority);
    compare_additional(report, dnsd, knot, expect);
    return report.take();
}

}  // namespace dnsd::diff
