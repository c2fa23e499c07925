#include "zones/query.hpp"

#include "zones/direct_response.hpp"
#include "zones/edns.hpp"
#include "zones/service_set_answer.hpp"
#include "zones/instance_answer.hpp"
#include "zones/prepared_response.hpp"
#include "zones/query_parser.hpp"

namespace dnsd::zones {

namespace {
AnswerInfo error_reply(const ParsedQuery& parsed, std::span<const std::uint8_t> query,
                       std::span<std::uint8_t> reply, Rcode rcode) {
    return {write_error(parsed, query, reply, rcode), parsed.qtype,
            static_cast<std::uint8_t>(to_u16(rcode)), false};
}

AnswerInfo negative_reply(const Snapshot& snapshot, const ParsedQuery& parsed,
                          std::span<const std::uint8_t> query, std::span<std::uint8_t> reply,
                          Rcode rcode) {
    return {write_negative(snapshot.apex(), parsed, query, reply, rcode), parsed.qtype,
            static_cast<std::uint8_t>(to_u16(rcode)), false};
}

// Which record a rotating RRset starts with. One counter per thread: consecutive answers from
// one worker go round the RRset (as BIND's rrset-order cyclic), no cache line is shared between
// workers, and the query path stays lock- and allocation-free. Across workers the starts are
// independent, which spreads load as well as one shared counter would.
thread_local std::uint32_t rotation_counter = 0;
}  // namespace

AnswerInfo answer_query(std::span<const std::uint8_t> query, std::span<std::uint8_t> reply,
                        const Snapshot& snapshot, registry::MonoMs now, bool over_tcp) {
    ParsedQuery parsed;
    switch (parse_query(query, parsed)) {
        case QueryVerdict::answer: break;
        case QueryVerdict::drop: return {};
        case QueryVerdict::formerr: return error_reply(parsed, query, reply, Rcode::formerr);
        case QueryVerdict::notimp: return error_reply(parsed, query, reply, Rcode::notimp);
        case QueryVerdict::badvers: return error_reply(parsed, query, reply, Rcode::badvers);
        case QueryVerdict::refused: return error_reply(parsed, query, reply, Rcode::refused);
    }

    const Lookup found = parsed.qclass == to_u16(RrClass::ch)
                             ? snapshot.find_chaos(parsed.name, parsed.qtype)
                             : snapshot.find(parsed.name, parsed.qtype);
    switch (found.kind) {
        case LookupKind::answer: break;
        case LookupKind::nodata: return negative_reply(snapshot, parsed, query, reply, Rcode::noerror);
        case LookupKind::nxdomain: return negative_reply(snapshot, parsed, query, reply, Rcode::nxdomain);
        case LookupKind::refused: return error_reply(parsed, query, reply, Rcode::refused);
    }

    const std::size_t limit = reply_size_limit(parsed, over_tcp);
    const std::uint32_t rotation = rotation_counter++;
    const WrittenReply written =
        found.instance      ? write_instance_answer(*found.instance, found.part, parsed, query, reply, limit,
                                                    now, snapshot.max_ttl_s())
        : found.service     ? write_service_set(*found.service, found.set, parsed, query, reply, limit, now,
                                                snapshot.max_ttl_s(), rotation)
                            : write_prepared(*found.store, *found.answer, parsed, query, reply, limit, now,
                                             snapshot.max_ttl_s(), rotation);
    if (written.size == 0) return error_reply(parsed, query, reply, Rcode::servfail);
    return {written.size, parsed.qtype, 0, written.truncated};
}

}  // namespace dnsd::zones
