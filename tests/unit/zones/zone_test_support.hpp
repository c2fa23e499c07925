#pragma once
// Shared by the zones tests: queries built with ldns, replies decoded with ldns (an independent
// decoder, so no test trusts our encoder's reading of itself), and registry fixtures.
#include <ldns/ldns.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registry/instance.hpp"
#include "registry/ip_address.hpp"
#include "zones/zone_options.hpp"

namespace dnsd::zones::test {

inline std::string take_string(char* s) {
    std::string out = s ? s : "";
    std::free(s);
    return out;
}

// One resource record as ldns read it.
struct Rr {
    std::string owner;  // presentation form, as on the wire (case kept), with the final dot
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::vector<std::string> rdata;  // one entry per rdata field, presentation form
};

class Decoded {
public:
    explicit Decoded(std::span<const std::uint8_t> wire) {
        const ldns_status status = ldns_wire2pkt(&pkt_, wire.data(), wire.size());
        EXPECT_EQ(status, LDNS_STATUS_OK) << ldns_get_errorstr_by_id(status);
        if (status != LDNS_STATUS_OK) pkt_ = nullptr;
    }
    ~Decoded() { ldns_pkt_free(pkt_); }
    Decoded(const Decoded&) = delete;
    Decoded& operator=(const Decoded&) = delete;

    bool ok() const { return pkt_ != nullptr; }
    const ldns_pkt* pkt() const { return pkt_; }
    std::uint16_t id() const { return ldns_pkt_id(pkt_); }
    unsigned rcode() const { return ldns_pkt_get_rcode(pkt_); }  // header bits only
    bool qr() const { return ldns_pkt_qr(pkt_); }
    bool aa() const { return ldns_pkt_aa(pkt_); }
    bool tc() const { return ldns_pkt_tc(pkt_); }
    bool rd() const { return ldns_pkt_rd(pkt_); }
    bool cd() const { return ldns_pkt_cd(pkt_); }
    bool edns() const { return ldns_pkt_edns(pkt_); }

    std::vector<Rr> records(ldns_pkt_section section) const {
        std::vector<Rr> out;
        ldns_rr_list* list = nullptr;
        switch (section) {
            case LDNS_SECTION_QUESTION: list = ldns_pkt_question(pkt_); break;
            case LDNS_SECTION_ANSWER: list = ldns_pkt_answer(pkt_); break;
            case LDNS_SECTION_AUTHORITY: list = ldns_pkt_authority(pkt_); break;
            default: list = ldns_pkt_additional(pkt_); break;
        }
        for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) {
            const ldns_rr* rr = ldns_rr_list_rr(list, i);
            Rr r;
            r.owner = take_string(ldns_rdf2str(ldns_rr_owner(rr)));
            r.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr));
            r.ttl = ldns_rr_ttl(rr);
            for (std::size_t f = 0; f < ldns_rr_rd_count(rr); ++f)
                r.rdata.push_back(take_string(ldns_rdf2str(ldns_rr_rdf(rr, f))));
            out.push_back(std::move(r));
        }
        return out;
    }
    std::vector<Rr> question() const { return records(LDNS_SECTION_QUESTION); }
    std::vector<Rr> answer() const { return records(LDNS_SECTION_ANSWER); }
    std::vector<Rr> authority() const { return records(LDNS_SECTION_AUTHORITY); }
    std::vector<Rr> additional() const { return records(LDNS_SECTION_ADDITIONAL); }

private:
    ldns_pkt* pkt_ = nullptr;
};

struct QuerySpec {
    std::uint16_t id = 0x1234;
    bool rd = true;
    bool cd = false;
    std::optional<std::uint16_t> edns_udp;  // adds an OPT
    std::uint8_t edns_version = 0;
    bool edns_do = false;
    std::uint16_t qclass = LDNS_RR_CLASS_IN;
};

// A well-formed query, written by ldns.
inline std::vector<std::uint8_t> make_query(const std::string& name, std::uint16_t qtype,
                                            const QuerySpec& spec = {}) {
    ldns_pkt* pkt = nullptr;
    const ldns_status status = ldns_pkt_query_new_frm_str(
        &pkt, name.c_str(), static_cast<ldns_rr_type>(qtype),
        static_cast<ldns_rr_class>(spec.qclass), spec.rd ? LDNS_RD : 0);
    EXPECT_EQ(status, LDNS_STATUS_OK);
    if (status != LDNS_STATUS_OK) return {};
    ldns_pkt_set_id(pkt, spec.id);
    ldns_pkt_set_cd(pkt, spec.cd);
    if (spec.edns_udp) {
        ldns_pkt_set_edns_udp_size(pkt, *spec.edns_udp);
        ldns_pkt_set_edns_version(pkt, spec.edns_version);
        ldns_pkt_set_edns_do(pkt, spec.edns_do);
    }
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    EXPECT_EQ(ldns_pkt2wire(&wire, pkt, &size), LDNS_STATUS_OK);
    std::vector<std::uint8_t> out(wire, wire + size);
    std::free(wire);
    ldns_pkt_free(pkt);
    return out;
}

// Options with max_ttl 5; assigned field by field so that adding an option needs no test edit.
inline ZoneOptions zone_options(std::string apex, std::string node_label) {
    ZoneOptions options;
    options.apex = std::move(apex);
    options.max_ttl_s = 5;
    options.node_label = std::move(node_label);
    return options;
}

inline registry::InstanceSpec make_spec(std::string service, std::string id, std::string address,
                                        std::uint16_t port, std::int64_t ttl_ms = 30'000) {
    registry::InstanceSpec spec;
    spec.service = std::move(service);
    spec.id = std::move(id);
    spec.address = *registry::IpAddress::parse(address);
    spec.port = port;
    spec.ttl_ms = ttl_ms;
    return spec;
}

}  // namespace dnsd::zones::test
