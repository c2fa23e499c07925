#pragma once
// DNS queries as a stub resolver sends them (no RD, one try, short timeout), encoded and decoded
// by ldns, an implementation independent of dnsd's own wire code.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <ldns/ldns.h>

#include "dns_transport.hpp"

namespace dnsd::e2e {

enum class Transport { udp, tcp };

struct DnsQuestion {
    DnsQuestion(std::string qname, ldns_rr_type qtype, Transport over = Transport::udp)
        : name(std::move(qname)), type(qtype), transport(over) {}

    std::string name;
    ldns_rr_type type = LDNS_RR_TYPE_A;
    Transport transport = Transport::udp;
    std::optional<std::uint16_t> edns_udp_size;  // nullopt: no OPT record
    std::chrono::milliseconds timeout{2000};
};

// A parsed reply, or why there is none (timeout, unparsable bytes, wrong ID).
class DnsReply {
public:
    static DnsReply failed(std::string why);
    static DnsReply parse(const Bytes& wire);

    bool ok() const { return pkt_ != nullptr; }
    const std::string& failure() const { return failure_; }
    const ldns_pkt* pkt() const { return pkt_.get(); }

    // On a failed reply these give "nothing": rcode 15 (unassigned), false, 0, empty lists.
    ldns_pkt_rcode rcode() const {
        return ok() ? ldns_pkt_get_rcode(pkt_.get()) : static_cast<ldns_pkt_rcode>(15);
    }
    std::uint16_t id() const { return ok() ? ldns_pkt_id(pkt_.get()) : 0; }
    bool aa() const { return ok() && ldns_pkt_aa(pkt_.get()); }
    bool tc() const { return ok() && ldns_pkt_tc(pkt_.get()); }
    bool qr() const { return ok() && ldns_pkt_qr(pkt_.get()); }

    // Records of one type in a section; LDNS_RR_TYPE_ANY: all of the section.
    std::vector<const ldns_rr*> answer(ldns_rr_type type = LDNS_RR_TYPE_ANY) const;
    std::vector<const ldns_rr*> authority(ldns_rr_type type = LDNS_RR_TYPE_ANY) const;
    std::vector<const ldns_rr*> additional(ldns_rr_type type = LDNS_RR_TYPE_ANY) const;
    std::string question_name() const;  // as sent back, case preserved
    // The EDNS UDP size the server advertises, nullopt without OPT.
    std::optional<std::uint16_t> edns_udp_size() const;
    std::string to_string() const;  // dig-like text, for failure messages

private:
    struct PktFree {
        void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
    };
    std::unique_ptr<ldns_pkt, PktFree> pkt_;
    std::string failure_;
};

// Wire form of a query (random ID, RD clear), for tests that send it themselves.
Bytes encode_query(const DnsQuestion& question);

DnsReply dns_query(std::uint16_t port, const DnsQuestion& question);
DnsReply dns_query(std::uint16_t port, const std::string& name, ldns_rr_type type,
                   Transport transport = Transport::udp);

// Text forms with case preserved: "api.svc.", "0 100 8861 10-0-0-3-8861.api.svc.".
std::string owner_text(const ldns_rr* rr);
std::string rdata_text(const ldns_rr* rr);
std::vector<std::string> txt_strings(const ldns_rr* rr);  // unquoted character-strings
std::vector<std::string> rdata_texts(const std::vector<const ldns_rr*>& rrs);  // sorted

}  // namespace dnsd::e2e
