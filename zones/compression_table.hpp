#pragma once
// The names already written into a message being built, by wire suffix, so a later name can end
// in a pointer to an earlier one (RFC 1035 §4.1.4). Build-time only. Entries are kept in
// insertion order so a writer's rollback can forget the ones added after its mark.
//
// Built for the start-up of a large zone, which prepares millions of small messages: the
// suffixes go back to back into one reused string and the look-up is an open-addressing table
// of entry numbers, so after the first messages nothing is allocated. Forgetting always takes
// the newest entries first, which in a linear-probing table is exact: every entry still present
// was inserted before them, so no probe path ever ran through their slots.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dnsd::zones {

class CompressionTable {
public:
    // Where an earlier copy of exactly this wire name (or suffix) starts, if any.
    std::optional<std::uint16_t> find(std::string_view wire_suffix) const;
    // Remembers the first place a suffix was written; later copies and offsets a pointer cannot
    // reach (over 0x3fff) are not recorded.
    void remember(std::string_view wire_suffix, std::size_t offset);

    std::size_t size() const { return entries_.size(); }
    // Forgets every entry added after the table had `size` entries.
    void truncate(std::size_t size);
    // While frozen, names are still found but none is remembered: the records written meanwhile
    // (an RRset whose order rotates at send time) must not be pointed into, since they move.
    void freeze(bool frozen) { frozen_ = frozen; }

private:
    struct Entry {
        std::size_t hash;
        std::uint32_t text_begin;  // in text_
        std::uint16_t text_size;
        std::uint16_t offset;      // in the message
        std::uint32_t slot;        // in slots_
    };
    std::string_view text_of(const Entry& e) const { return {text_.data() + e.text_begin, e.text_size}; }
    // The slot holding `suffix`, or the empty slot where it would go.
    std::size_t probe(std::string_view suffix, std::size_t hash) const;
    void grow();

    std::string text_;                  // every remembered suffix, back to back
    std::vector<Entry> entries_;        // in insertion order
    std::vector<std::uint32_t> slots_;  // entry number + 1; 0: empty. Size: a power of two
    bool frozen_ = false;
};

}  // namespace dnsd::zones
