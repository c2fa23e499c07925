#include "dns_client.hpp"

#include <algorithm>

namespace dnsd::e2e {
namespace {

std::string rdf_text(const ldns_rdf* rdf) {
    char* text = ldns_rdf2str(rdf);
    std::string result = text != nullptr ? text : "";
    LDNS_FREE(text);
    return result;
}

std::vector<const ldns_rr*> of_type(const ldns_rr_list* list, ldns_rr_type type) {
    std::vector<const ldns_rr*> result;
    for (std::size_t i = 0; list != nullptr && i < ldns_rr_list_rr_count(list); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(list, i);
        if (type == LDNS_RR_TYPE_ANY || ldns_rr_get_type(rr) == type) result.push_back(rr);
    }
    return result;
}

std::uint16_t message_id(const Bytes& message) {
    return message.size() < 2 ? 0 : static_cast<std::uint16_t>(message[0] << 8 | message[1]);
}

bool same_id(const Bytes& sent, const Bytes& received) {
    return received.size() >= 2 && message_id(sent) == message_id(received);
}

}  // namespace

DnsReply DnsReply::failed(std::string why) {
    DnsReply reply;
    reply.failure_ = std::move(why);
    return reply;
}

DnsReply DnsReply::parse(const Bytes& wire) {
    ldns_pkt* pkt = nullptr;
    const ldns_status status = ldns_wire2pkt(&pkt, wire.data(), wire.size());
    if (status != LDNS_STATUS_OK) {
        return failed(std::string("reply of ") + std::to_string(wire.size()) +
                      " bytes does not parse: " + ldns_get_errorstr_by_id(status));
    }
    DnsReply reply;
    reply.pkt_.reset(pkt);
    return reply;
}

std::vector<const ldns_rr*> DnsReply::answer(ldns_rr_type type) const {
    return ok() ? of_type(ldns_pkt_answer(pkt_.get()), type) : std::vector<const ldns_rr*>{};
}
std::vector<const ldns_rr*> DnsReply::authority(ldns_rr_type type) const {
    return ok() ? of_type(ldns_pkt_authority(pkt_.get()), type) : std::vector<const ldns_rr*>{};
}
std::vector<const ldns_rr*> DnsReply::additional(ldns_rr_type type) const {
    return ok() ? of_type(ldns_pkt_additional(pkt_.get()), type) : std::vector<const ldns_rr*>{};
}

std::string DnsReply::question_name() const {
    if (!ok()) return "";
    const ldns_rr_list* question = ldns_pkt_question(pkt_.get());
    if (question == nullptr || ldns_rr_list_rr_count(question) == 0) return "";
    return owner_text(ldns_rr_list_rr(question, 0));
}

std::optional<std::uint16_t> DnsReply::edns_udp_size() const {
    if (!ok() || !ldns_pkt_edns(pkt_.get())) return std::nullopt;
    return ldns_pkt_edns_udp_size(pkt_.get());
}

std::string DnsReply::to_string() const {
    if (!ok()) return "(no reply: " + failure_ + ")";
    char* text = ldns_pkt2str(pkt_.get());
    std::string result = text != nullptr ? text : "";
    LDNS_FREE(text);
    return result;
}

Bytes encode_query(const DnsQuestion& question) {
    ldns_rdf* name = ldns_dname_new_frm_str(question.name.c_str());
    if (name == nullptr) return {};
    // flags 0: RD clear, dnsd is authoritative only. The packet takes ownership of name.
    ldns_pkt* pkt = ldns_pkt_query_new(name, question.type, LDNS_RR_CLASS_IN, 0);
    ldns_pkt_set_random_id(pkt);
    if (question.edns_udp_size) ldns_pkt_set_edns_udp_size(pkt, *question.edns_udp_size);
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    Bytes result;
    if (ldns_pkt2wire(&wire, pkt, &size) == LDNS_STATUS_OK) result.assign(wire, wire + size);
    LDNS_FREE(wire);
    ldns_pkt_free(pkt);
    return result;
}

DnsReply dns_query(std::uint16_t port, const DnsQuestion& question) {
    const Bytes query = encode_query(question);
    if (query.empty()) return DnsReply::failed("cannot encode a query for " + question.name);
    const std::optional<Bytes> wire = question.transport == Transport::udp
                                          ? udp_exchange(port, query, question.timeout, &same_id)
                                          : tcp_exchange(port, query, question.timeout);
    // Built by appending: GCC 12 reports a false -Warray-bounds on short string temporaries.
    std::string why = wire ? "reply with a wrong ID" : "no reply to " + question.name;
    why.append(question.transport == Transport::udp ? " over UDP" : " over TCP");
    if (!wire) {
        why.append(" within ").append(std::to_string(question.timeout.count())).append(" ms");
        return DnsReply::failed(why);
    }
    if (!same_id(query, *wire)) return DnsReply::failed(why);
    return DnsReply::parse(*wire);
}

DnsReply dns_query(std::uint16_t port, const std::string& name, ldns_rr_type type,
                   Transport transport) {
    return dns_query(port, DnsQuestion(name, type, transport));
}

std::string owner_text(const ldns_rr* rr) { return rdf_text(ldns_rr_owner(rr)); }

std::string rdata_text(const ldns_rr* rr) {
    std::string text;
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        if (i > 0) text += ' ';
        text += rdf_text(ldns_rr_rdf(rr, i));
    }
    return text;
}

std::vector<std::string> txt_strings(const ldns_rr* rr) {
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
        const std::uint8_t* data = ldns_rdf_data(rdf);
        const std::size_t size = ldns_rdf_size(rdf);
        if (size == 0) continue;
        // A character-string: one length byte, then that many bytes.
        const std::size_t length = std::min<std::size_t>(data[0], size - 1);
        strings.emplace_back(reinterpret_cast<const char*>(data + 1), length);
    }
    return strings;
}

std::vector<std::string> rdata_texts(const std::vector<const ldns_rr*>& rrs) {
    std::vector<std::string> texts;
    for (const ldns_rr* rr : rrs) texts.push_back(rdata_text(rr));
    std::sort(texts.begin(), texts.end());
    return texts;
}

}  // namespace dnsd::e2e
