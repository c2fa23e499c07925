#include "zones/instance_answer.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "zones/edns.hpp"
#include "zones/reply_writer.hpp"
#include "zones/ttl.hpp"
#include "zones/wire_types.hpp"
#include "zones/wire_writer.hpp"

namespace dnsd::zones {

namespace {
using namespace reply_bytes;

// The SRV target, <id>.S.<apex> in lower case, in pieces: for the instance name it is the
// question name itself; for <id>._S._tcp.<apex> the id label, S without its "_", the apex.
struct Target {
    std::string_view first;   // up to and including the id label (or the whole name)
    std::string_view service; // the service label without its length byte; empty: none
    std::string_view apex;    // wire bytes of the apex, root included

    std::size_t size() const { return first.size() + (service.empty() ? 0 : 1 + service.size()) + apex.size(); }
    void put(std::uint8_t*& at) const {
        put_bytes(at, first.data(), first.size());
        if (!service.empty()) {
            *at++ = static_cast<std::uint8_t>(service.size());
            put_bytes(at, service.data(), service.size());
        }
        put_bytes(at, apex.data(), apex.size());
    }
};

Target target_of(const QueryName& name, bool dnssd) {
    const std::string_view whole = name.suffix(0);
    if (!dnssd) return {whole, {}, {}};
    const std::size_t id_end = name.label_at[1];
    return {whole.substr(0, id_end), name.label(1).substr(1), name.suffix(3)};
}
}  // namespace

WrittenReply write_instance_answer(const InstanceRecord& record, InstancePart part,
                                   const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                                   std::span<std::uint8_t> reply, std::size_t limit,
                                   registry::MonoMs now, std::uint32_t max_ttl_s) {
    const bool dnssd = part == InstancePart::dnssd_srv || part == InstancePart::dnssd_txt;
    const bool srv = part == InstancePart::srv || part == InstancePart::dnssd_srv;
    const bool txt = part == InstancePart::txt || part == InstancePart::dnssd_txt;
    if (part == InstancePart::none || (dnssd && query.name.label_count < 4)) return {};

    const std::size_t question_end = header::size + query.question_size;
    const std::size_t opt = query.has_opt ? limits::opt_record : 0;
    limit = std::min(limit, reply.size());
    if (limit < question_end + opt) return {};

    const Target target = srv ? target_of(query.name, dnssd) : Target{};
    const std::span<const std::uint8_t> address = record.address();
    const std::size_t rdlength = srv ? srv_fixed + target.size() : txt ? record.txt_rdata().size() : address.size();
    const std::size_t answer_end = question_end + record_fixed + rdlength;
    const std::size_t glue_end = answer_end + record_fixed + address.size();
    // The cuts a prepared message would have: after the question, after the answer RRset,
    // after the glue; a record that did not fit in the 64 KiB message was left out (the answer
    // then marked incomplete: TC on every copy).
    const bool incomplete = answer_end > prepared_capacity || rdlength > UINT16_MAX;
    const bool has_glue = srv && !incomplete && glue_end <= prepared_capacity;
    const std::size_t room = limit - opt;
    const bool send_answer = !incomplete && answer_end <= room;
    const bool send_glue = has_glue && glue_end <= room;
    const bool truncated = incomplete || !send_answer;

    std::uint8_t* out = reply.data();
    std::uint8_t* at = put_reply_start(reply, query, query_bytes, truncated, send_answer ? 1 : 0,
                                       static_cast<std::uint16_t>((send_glue ? 1 : 0) + (opt ? 1 : 0)));

    if (send_answer) {
        const registry::LeaseCell* lease = record.lease();
        const std::uint32_t ttl = lease_ttl({&lease, 1}, now, max_ttl_s);
        if (srv) {
            put_record_head(at, question_pointer, RrType::srv, ttl, rdlength);
            put_u16(at, record.priority());
            put_u16(at, record.weight());
            put_u16(at, record.port());
            const auto target_at = static_cast<std::uint16_t>(at - out);
            target.put(at);
            if (send_glue) {
                // The glue's owner is the target: the question itself at the instance name, else
                // the target just written (first written place wins, as in the builder).
                const std::uint16_t owner = dnssd ? static_cast<std::uint16_t>(0xc000 | target_at) : question_pointer;
                put_record_head(at, owner, record.address_type(), ttl, address.size());
                put_bytes(at, address.data(), address.size());
            }
        } else if (txt) {
            put_record_head(at, question_pointer, RrType::txt, ttl, rdlength);
            const auto strings = record.txt_rdata();
            put_bytes(at, strings.data(), strings.size());
        } else {
            put_record_head(at, question_pointer, record.address_type(), ttl, rdlength);
            put_bytes(at, address.data(), address.size());
        }
    }

    return {append_opt(reply, static_cast<std::size_t>(at - out), opt), truncated};
}

}  // namespace dnsd::zones
