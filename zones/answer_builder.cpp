#include "zones/answer_builder.hpp"

#include <cassert>

namespace dnsd::zones {

AnswerBuilder::AnswerBuilder(std::size_t capacity) : scratch_(capacity), out_(scratch_, &names_) {}

void AnswerBuilder::begin(AnswerStore& store, const DnsName& qname, RrClass rclass) {
    store_ = &store;
    names_.truncate(0);
    names_.freeze(false);
    class_ = rclass;
    rotating_ = false;
    rotation_taken_ = false;
    rotation_starts_.clear();
    rotation_end_ = 0;
    out_.rollback({0, 0});
    patches_.clear();
    cuts_.clear();
    counts_[0] = counts_[1] = counts_[2] = 0;
    section_ = Section::answer;
    incomplete_ = false;

    out_.u16(0);                                       // ID: the query's, at send time
    out_.u16(header::qr | header::aa);                 // RD and CD are copied at send time
    out_.u16(1);                                       // QDCOUNT
    out_.u16(0);                                       // ANCOUNT, NSCOUNT, ARCOUNT: at send time
    out_.u16(0);
    out_.u16(0);
    out_.name(qname.wire());                           // remembered: later names point into it
    out_.u16(0);                                       // QTYPE and QCLASS: the client's
    out_.u16(to_u16(rclass));
    question_size_ = static_cast<std::uint16_t>(out_.size() - header::size);
    cuts_.push_back({static_cast<std::uint16_t>(out_.size()), 0, 0, 0});
}

void AnswerBuilder::begin_rrset(Section section, std::uint32_t group, RrsetOrder order) {
    end_rrset();
    // Sections are written in wire order; going back would corrupt the counts.
    assert(section >= section_);
    section_ = section;
    group_ = group;
    rrset_written_ = false;
    if (order == RrsetOrder::cyclic && !rotation_taken_) {
        rotating_ = true;
        rotation_taken_ = true;
        names_.freeze(true);
    }
}

bool AnswerBuilder::open_record() {
    // Once an answer or authority record was dropped, nothing after it may be sent: a
    // receiver would take the later sections for the whole story.
    if (incomplete_) return false;
    record_mark_ = out_.mark();
    return true;
}

void AnswerBuilder::record_fields(RrType type) {
    out_.u16(to_u16(type));
    out_.u16(to_u16(class_));
    ttl_at_ = out_.size();
    out_.u32(0);
    rdlength_at_ = out_.size();
    out_.u16(0);
}

bool AnswerBuilder::record_start(std::string_view owner, RrType type, bool owner_compressed) {
    if (!open_record()) return false;
    if (owner_compressed)
        out_.bytes(owner);
    else
        out_.name(owner);
    record_fields(type);
    return true;
}

bool AnswerBuilder::record_start(std::string_view first_label, std::string_view rest_bytes, RrType type) {
    if (!open_record()) return false;
    out_.u8(static_cast<std::uint8_t>(first_label.size()));
    out_.bytes(first_label);
    out_.bytes(rest_bytes);
    record_fields(type);
    return true;
}

bool AnswerBuilder::record_end() {
    if (!out_.ok()) {
        out_.rollback(record_mark_);
        if (section_ != Section::additional) incomplete_ = true;
        return false;
    }
    out_.patch_u16(rdlength_at_, static_cast<std::uint16_t>(out_.size() - rdlength_at_ - 2));
    patches_.push_back({static_cast<std::uint16_t>(ttl_at_), group_});
    ++counts_[static_cast<int>(section_)];
    if (rotating_) {
        rotation_starts_.push_back(static_cast<std::uint16_t>(record_mark_.size));
        rotation_end_ = static_cast<std::uint16_t>(out_.size());
    }
    rrset_written_ = true;
    return true;
}

void AnswerBuilder::end_rrset() {
    if (rotating_) {
        rotating_ = false;
        names_.freeze(false);
    }
    if (!rrset_written_) return;
    cuts_.push_back({static_cast<std::uint16_t>(out_.size()), counts_[0], counts_[1], counts_[2]});
    rrset_written_ = false;
}

PreparedAnswer AnswerBuilder::finish() {
    end_rrset();
    out_.patch_u16(header::ancount, counts_[0]);
    out_.patch_u16(header::nscount, counts_[1]);
    out_.patch_u16(header::arcount, counts_[2]);

    AnswerStore& store = *store_;
    PreparedAnswer answer;
    answer.bytes_begin = static_cast<std::uint32_t>(store.bytes.size());
    answer.size = static_cast<std::uint16_t>(out_.size());
    answer.question_size = question_size_;
    answer.patches_begin = static_cast<std::uint32_t>(store.patches.size());
    answer.patch_count = static_cast<std::uint32_t>(patches_.size());
    answer.cuts_begin = static_cast<std::uint32_t>(store.cuts.size());
    answer.cut_count = static_cast<std::uint32_t>(cuts_.size());
    answer.incomplete = incomplete_;
    if (rotation_starts_.size() > 1) {
        answer.rotation_at = static_cast<std::uint32_t>(store.record_starts.size());
        answer.rotation_count = static_cast<std::uint16_t>(rotation_starts_.size());
        answer.rotation_end = rotation_end_;
        store.record_starts.insert(store.record_starts.end(), rotation_starts_.begin(),
                                   rotation_starts_.end());
    }

    const auto written = out_.written();
    store.bytes.insert(store.bytes.end(), written.begin(), written.end());
    store.patches.insert(store.patches.end(), patches_.begin(), patches_.end());
    store.cuts.insert(store.cuts.end(), cuts_.begin(), cuts_.end());
    return answer;
}

}  // namespace dnsd::zones
