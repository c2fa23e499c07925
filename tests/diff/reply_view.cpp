#include "reply_view.hpp"

#include <cctype>

namespace dnsd::diff {

namespace {

std::string type_text(const ldns_rr* rr) {
    char* text = ldns_rr_type2str(ldns_rr_get_type(rr));
    std::string result = text != nullptr ? text : "?";
    LDNS_FREE(text);
    return result;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Domain names in rdata lower-cased, everything else (TXT strings!) as it is.
std::string rdata_with_lower_names(const ldns_rr* rr) {
    std::string text;
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
        char* field = ldns_rdf2str(rdf);
        std::string value = field != nullptr ? field : "";
        LDNS_FREE(field);
        if (i > 0) text += ' ';
        text += ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME ? lower(value) : value;
    }
    return text;
}

// `keep_owner_case`: for the answer section, whose owners must echo the question's case.
void collect(const std::vector<const ldns_rr*>& rrs, RecordSet& into,
             std::map<std::string, std::uint32_t>& ttl, bool keep_owner_case) {
    for (const ldns_rr* rr : rrs) {
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT) continue;
        const std::string owner = e2e::owner_text(rr);
        const std::string text = (keep_owner_case ? owner : lower(owner)) + " " + type_text(rr) + " " +
                                 rdata_with_lower_names(rr);
        into.insert(text);
        ttl[text] = ldns_rr_ttl(rr);
    }
}

}  // namespace

std::string type_of(const std::string& record) {
    const auto first = record.find(' ');
    if (first == std::string::npos) return {};
    const auto second = record.find(' ', first + 1);
    return record.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
}

std::set<std::string> ReplyView::answer_types() const {
    std::set<std::string> types;
    for (const std::string& r : answer) types.insert(type_of(r));
    return types;
}

RecordSet ReplyView::answer_of(const std::string& type) const {
    RecordSet out;
    for (const std::string& r : answer)
        if (type_of(r) == type) out.insert(r);
    return out;
}

ReplyView view_of(const e2e::DnsReply& reply) {
    ReplyView v;
    v.text = reply.to_string();
    v.ok = reply.ok();
    if (!v.ok) {
        v.failure = reply.failure();
        return v;
    }
    v.rcode = static_cast<int>(reply.rcode());
    v.aa = reply.aa();
    v.tc = reply.tc();
    v.qr = reply.qr();
    v.edns_udp_size = reply.edns_udp_size();
    v.question = reply.question_name();
    collect(reply.answer(), v.answer, v.ttl, true);
    collect(reply.authority(), v.authority, v.ttl, false);
    collect(reply.additional(), v.additional, v.ttl, false);
    return v;
}

}  // namespace dnsd::diff
