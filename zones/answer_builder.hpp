#pragma once
// Builds prepared answers (see answer_store.hpp) RRset by RRset. The builder records, as it
// writes, where each TTL sits and where the message may be cut after a whole RRset, so the
// query path can fill TTLs and truncate without parsing anything.
//
// A message holds at most 65535 bytes; 11 are kept for the OPT added at send time. A record
// that does not fit is rolled back: in the answer or authority section that makes the answer
// "incomplete" (sent with TC even over TCP) and ends it; in the additional section it is just
// left out, which RFC 2181 §9 allows without TC.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "zones/answer_store.hpp"
#include "zones/compression_table.hpp"
#include "zones/dns_name.hpp"
#include "zones/wire_types.hpp"
#include "zones/wire_writer.hpp"

namespace dnsd::zones {

// Whether an RRset keeps its order in every reply or rotates from query to query (see
// PreparedAnswer::rotation_count). Only the first cyclic RRset of an answer rotates.
enum class RrsetOrder : std::uint8_t { fixed, cyclic };

class AnswerBuilder {
public:
    // `capacity` is for tests that want to provoke overflow with small data.
    explicit AnswerBuilder(std::size_t capacity = limits::max_message - limits::opt_record);
    AnswerBuilder(const AnswerBuilder&) = delete;  // the writer points into scratch_
    AnswerBuilder& operator=(const AnswerBuilder&) = delete;

    // Starts an answer to `qname` that will be appended to `store`: header template (QR, AA,
    // QDCOUNT 1) and the lower-case question (type and class are the client's, copied at send).
    // Every record of the answer is in class `rclass`.
    void begin(AnswerStore& store, const DnsName& qname, RrClass rclass = RrClass::in);

    // Records until end_rrset() (or the next begin_rrset, or finish) form one RRset with the TTL
    // of lease group `group`. A cyclic RRset is written position-independent: its names point
    // only at names written before it and nothing later points into it (the compression table
    // is frozen meanwhile), so the query path may reorder its records by block copies.
    void begin_rrset(Section section, std::uint32_t group, RrsetOrder order = RrsetOrder::fixed);
    // Writes owner, type, class, a TTL placeholder and the rdata `write_rdata(WireWriter&)`
    // produces. False when the record was left out for lack of room.
    template <class WriteRdata>
    bool add(const DnsName& owner, RrType type, WriteRdata&& write_rdata) {
        return add(owner.wire(), type, std::forward<WriteRdata>(write_rdata));
    }
    // The same with the owner as lower-case wire bytes (no DnsName to allocate per record).
    template <class WriteRdata>
    bool add(std::string_view owner_wire, RrType type, WriteRdata&& write_rdata);
    // The same with the owner already compressed by the caller, written as given: a pointer
    // (or labels ending in one) at a name written before it, such as the question's at offset
    // 12. No compression look-up, and later names will not point into this owner: for the
    // large sets of a service, where those look-ups were most of the build.
    template <class WriteRdata>
    bool add_compressed(std::string_view owner_bytes, RrType type, WriteRdata&& write_rdata);
    // The same with the owner one label (written with its length byte before it) followed by
    // `rest_bytes`, compressed as above: <id>.S.<apex> as the id and a pointer at the question,
    // without composing it in a buffer first (two string copies per record of a large set).
    template <class WriteRdata>
    bool add_compressed(std::string_view first_label, std::string_view rest_bytes, RrType type,
                        WriteRdata&& write_rdata);
    void end_rrset();
    // Whether an answer or authority record was left out: nothing more will be written.
    bool incomplete() const { return incomplete_; }

    // Copies the message and its patch and cut lists into the store.
    PreparedAnswer finish();

private:
    bool record_start(std::string_view owner, RrType type, bool owner_compressed);
    bool record_start(std::string_view first_label, std::string_view rest_bytes, RrType type);
    bool open_record();                // false once the answer is incomplete
    void record_fields(RrType type);  // type, class, TTL placeholder, rdlength placeholder
    bool record_end();

    std::vector<std::uint8_t> scratch_;
    CompressionTable names_;
    WireWriter out_;
    AnswerStore* store_ = nullptr;
    std::vector<TtlPatch> patches_;
    std::vector<CutPoint> cuts_;
    std::uint16_t question_size_ = 0;
    std::uint16_t counts_[3] = {0, 0, 0};  // by Section
    RrClass class_ = RrClass::in;
    Section section_ = Section::answer;
    // The cyclic RRset: whether it is being written, its records' starts, where it ends.
    bool rotating_ = false;
    bool rotation_taken_ = false;
    std::vector<std::uint16_t> rotation_starts_;
    std::uint16_t rotation_end_ = 0;
    std::uint32_t group_ = 0;
    bool rrset_written_ = false;
    bool incomplete_ = false;
    WireWriter::Mark record_mark_{};
    std::size_t ttl_at_ = 0;
    std::size_t rdlength_at_ = 0;
};

template <class WriteRdata>
bool AnswerBuilder::add(std::string_view owner_wire, RrType type, WriteRdata&& write_rdata) {
    if (!record_start(owner_wire, type, false)) return false;
    write_rdata(out_);
    return record_end();
}

template <class WriteRdata>
bool AnswerBuilder::add_compressed(std::string_view owner_bytes, RrType type, WriteRdata&& write_rdata) {
    if (!record_start(owner_bytes, type, true)) return false;
    write_rdata(out_);
    return record_end();
}

template <class WriteRdata>
bool AnswerBuilder::add_compressed(std::string_view first_label, std::string_view rest_bytes, RrType type,
                                   WriteRdata&& write_rdata) {
    if (!record_start(first_label, rest_bytes, type)) return false;
    write_rdata(out_);
    return record_end();
}

}  // namespace dnsd::zones
