#include "zones/service_set_answer.hpp"

#include <algorithm>
#include <string_view>

#include "zones/edns.hpp"
#include "zones/instance_record.hpp"
#include "zones/instance_table.hpp"
#include "zones/reply_writer.hpp"
#include "zones/service_zone.hpp"
#include "zones/ttl.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones {

namespace {
using namespace reply_bytes;

// "_S" and "_tcp" before the apex: what _S._tcp.<apex> has that S.<apex> has not.
constexpr std::size_t tcp_name_extra = 1 + 5;

// The shape of one set under one _S._tcp.<apex> name.
struct SetShape {
    ServiceSet set;
    std::size_t tcp_name_size;  // wire bytes of _S._tcp.<apex>

    // <id>._S._tcp.<apex> fits in a name (the PTR set lists only those).
    bool listed(const InstanceRecord& r) const {
        return set == ServiceSet::tcp_srv || 1 + r.id().size() + tcp_name_size <= limits::max_name;
    }
    // <id>.S.<apex>, the SRV target, written whole.
    std::size_t target_size(const InstanceRecord& r) const {
        return 1 + r.id().size() + tcp_name_size - tcp_name_extra;
    }
    // The PTR rdata: the id label, then a pointer to the question.
    static std::size_t ptr_rdata_size(const InstanceRecord& r) { return 1 + r.id().size() + 2; }
    std::size_t rdata_size(const InstanceRecord& r) const {
        return set == ServiceSet::tcp_srv ? srv_fixed + target_size(r) : ptr_rdata_size(r);
    }
    std::size_t record_size(const InstanceRecord& r) const { return record_fixed + rdata_size(r); }
};

// The pieces of <id>.S.<apex> that come from the question _S._tcp.<apex> (lower case).
struct TargetParts {
    std::string_view service;  // S, without the "_"
    std::string_view apex;     // wire bytes, root included

    void put(std::uint8_t*& at, std::string_view id) const {
        *at++ = static_cast<std::uint8_t>(id.size());
        put_bytes(at, id.data(), id.size());
        *at++ = static_cast<std::uint8_t>(service.size());
        put_bytes(at, service.data(), service.size());
        put_bytes(at, apex.data(), apex.size());
    }
};

std::uint16_t pointer_to(std::size_t offset) { return static_cast<std::uint16_t>(0xc000 | offset); }

// Every instance once, starting at instance `start` of the table's order and wrapping.
template <class F>
void for_each_from(const InstanceTable& table, std::size_t start, F&& f) {
    std::size_t i = 0;
    table.for_each([&](const InstanceRecord& r) {
        if (i++ >= start) f(r);
    });
    i = 0;
    table.for_each([&](const InstanceRecord& r) {
        if (i++ < start) f(r);
    });
}

// Writes the additional records of one instance whose answer record starts at `record_at`, as
// many whole RRsets as fit before `end`; false when one did not fit (the section ends there).
class AdditionalWriter {
public:
    AdditionalWriter(const SetShape& shape, const TargetParts& target, std::uint8_t* out, std::uint8_t* end,
                     registry::MonoMs now, std::uint32_t max_ttl_s)
        : shape_(shape), target_(target), out_(out), end_(end), now_(now), max_ttl_s_(max_ttl_s) {}

    bool write(std::uint8_t*& at, const InstanceRecord& r, std::size_t record_at) {
        const registry::LeaseCell* lease = r.lease();
        const std::uint32_t ttl = lease_ttl({&lease, 1}, now_, max_ttl_s_);
        if (shape_.set == ServiceSet::tcp_srv)
            return address(at, r, ttl, record_at + record_fixed + srv_fixed);  // the SRV's target
        // The DNS-SD name is the PTR's rdata: the SRV and TXT there, then the target's address.
        const std::size_t name_at = record_at + record_fixed;
        const std::size_t target_at = static_cast<std::size_t>(at - out_) + owner_size(r, name_at) + record_fields + srv_fixed;
        if (!fits(at, owner_size(r, name_at) + record_fields + srv_fixed + shape_.target_size(r))) return false;
        put_dnssd_owner(at, r, name_at);
        put_record_fields(at, RrType::srv, ttl, srv_fixed + shape_.target_size(r));
        put_u16(at, r.priority());
        put_u16(at, r.weight());
        put_u16(at, r.port());
        target_.put(at, r.id());
        ++count_;
        const std::span<const std::uint8_t> txt = r.txt_rdata();
        if (!fits(at, owner_size(r, name_at) + record_fields + txt.size())) return false;
        put_dnssd_owner(at, r, name_at);
        put_record_fields(at, RrType::txt, ttl, txt.size());
        put_bytes(at, txt.data(), txt.size());
        ++count_;
        return address(at, r, ttl, target_at);
    }
    std::uint16_t count() const { return count_; }

private:
    bool fits(const std::uint8_t* at, std::size_t size) const { return size <= static_cast<std::size_t>(end_ - at); }

    // The address record of the target written at `target_at`.
    bool address(std::uint8_t*& at, const InstanceRecord& r, std::uint32_t ttl, std::size_t target_at) {
        const bool pointer = target_at <= limits::max_pointer;
        const std::span<const std::uint8_t> address = r.address();
        if (!fits(at, (pointer ? 2 : shape_.target_size(r)) + record_fields + address.size())) return false;
        if (pointer) put_u16(at, pointer_to(target_at));
        else put_bytes(at, out_ + target_at, shape_.target_size(r));
        put_record_fields(at, r.address_type(), ttl, address.size());
        put_bytes(at, address.data(), address.size());
        ++count_;
        return true;
    }
    static std::size_t owner_size(const InstanceRecord& r, std::size_t name_at) {
        return name_at <= limits::max_pointer ? 2 : SetShape::ptr_rdata_size(r);
    }
    // <id>._S._tcp.<apex>: a pointer to the PTR's rdata, or the id label and a pointer to the question.
    static void put_dnssd_owner(std::uint8_t*& at, const InstanceRecord& r, std::size_t name_at) {
        if (name_at <= limits::max_pointer) {
            put_u16(at, pointer_to(name_at));
            return;
        }
        *at++ = static_cast<std::uint8_t>(r.id().size());
        put_bytes(at, r.id().data(), r.id().size());
        put_u16(at, question_pointer);
    }

    const SetShape& shape_;
    const TargetParts& target_;
    std::uint8_t* out_;
    std::uint8_t* end_;
    registry::MonoMs now_;
    std::uint32_t max_ttl_s_;
    std::uint16_t count_ = 0;
};
}  // namespace

std::size_t service_set_size(const InstanceTable& instances, ServiceSet set, std::size_t tcp_name_size) {
    std::size_t size = 0;
    instances.for_each([&](const InstanceRecord& r) { size += service_set_record_size(r, set, tcp_name_size); });
    return size;
}

std::size_t service_set_record_size(const InstanceRecord& record, ServiceSet set, std::size_t tcp_name_size) {
    const SetShape shape{set, tcp_name_size};
    return shape.listed(record) ? shape.record_size(record) : 0;
}

WrittenReply write_service_set(const ServiceZone& service, ServiceSet set, const ParsedQuery& query,
                               std::span<const std::uint8_t> query_bytes, std::span<std::uint8_t> reply,
                               std::size_t limit, registry::MonoMs now, std::uint32_t max_ttl_s,
                               std::uint32_t rotation) {
    const QueryName& name = query.name;
    const std::size_t set_size = set == ServiceSet::tcp_srv ? service.tcp_srv_size
                                 : set == ServiceSet::enumeration ? service.enumeration_size
                                                                  : 0;
    if (name.label_count < 3 || set_size == 0) return {};
    const std::size_t question_end = header::size + query.question_size;
    const std::size_t opt = query.has_opt ? limits::opt_record : 0;
    limit = std::min(limit, reply.size());
    if (limit < question_end + opt) return {};
    const std::size_t room = limit - opt;
    std::uint8_t* const out = reply.data();
    if (question_end + set_size > std::min(room, prepared_capacity)) {
        std::uint8_t* at = put_reply_start(reply, query, query_bytes, true, 0, opt ? 1 : 0);
        return {append_opt(reply, static_cast<std::size_t>(at - out), opt), true};
    }

    const InstanceTable& table = service.instances;
    const SetShape shape{set, name.length};
    const TargetParts target{name.label(0).substr(1), name.suffix(2)};
    // The set's TTL, and the bytes of the records the rotation moves behind the others.
    const std::size_t start = rotation % table.size();
    std::uint32_t set_ttl = max_ttl_s;
    std::size_t moved_bytes = 0;
    std::size_t index = 0;
    table.for_each([&](const InstanceRecord& r) {
        const bool moved = index++ < start;
        if (!shape.listed(r)) return;
        const registry::LeaseCell* lease = r.lease();
        set_ttl = std::min(set_ttl, lease_ttl({&lease, 1}, now, max_ttl_s));
        if (moved) moved_bytes += shape.record_size(r);
    });

    std::uint8_t* at = out + question_end;
    std::uint16_t answers = 0;
    for_each_from(table, start, [&](const InstanceRecord& r) {
        if (!shape.listed(r)) return;
        put_record_head(at, question_pointer, set == ServiceSet::tcp_srv ? RrType::srv : RrType::ptr, set_ttl,
                        shape.rdata_size(r));
        if (set == ServiceSet::tcp_srv) {
            put_u16(at, r.priority());
            put_u16(at, r.weight());
            put_u16(at, r.port());
            target.put(at, r.id());
        } else {
            *at++ = static_cast<std::uint8_t>(r.id().size());
            put_bytes(at, r.id().data(), r.id().size());
            put_u16(at, question_pointer);
        }
        ++answers;
    });

    AdditionalWriter additional(shape, target, out, out + room, now, max_ttl_s);
    std::size_t bytes_before = 0;  // of the listed records before this one, in the table's order
    bool full = false;
    index = 0;
    table.for_each([&](const InstanceRecord& r) {
        const bool moved = index++ < start;
        if (full || !shape.listed(r)) return;
        // Where its answer record went: the moved ones follow the others.
        const std::size_t record_at =
            question_end + (moved ? set_size - moved_bytes + bytes_before : bytes_before - moved_bytes);
        bytes_before += shape.record_size(r);
        full = !additional.write(at, r, record_at);
    });

    put_reply_start(reply, query, query_bytes, false, answers,
                    static_cast<std::uint16_t>(additional.count() + (opt ? 1 : 0)));
    return {append_opt(reply, static_cast<std::size_t>(at - out), opt), false};
}

}  // namespace dnsd::zones
