#include "zones/compression_table.hpp"

#include "zones/name_hash.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones {

namespace {
constexpr std::size_t initial_slots = 64;
// The zone's own name hash: a few instructions a word where std::hash took about a hundred
// for a short name (a tenth of a service rebuild's time when registrations pour in).
std::size_t hash_of(std::string_view s) { return hash_name(s); }
}  // namespace

std::size_t CompressionTable::probe(std::string_view suffix, std::size_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t at = slots_[i];
        if (at == 0) return i;
        const Entry& e = entries_[at - 1];
        if (e.hash == hash && text_of(e) == suffix) return i;
    }
}

std::optional<std::uint16_t> CompressionTable::find(std::string_view wire_suffix) const {
    if (entries_.empty()) return std::nullopt;
    const std::uint32_t at = slots_[probe(wire_suffix, hash_of(wire_suffix))];
    if (at == 0) return std::nullopt;
    return entries_[at - 1].offset;
}

void CompressionTable::remember(std::string_view wire_suffix, std::size_t offset) {
    if (frozen_ || offset > limits::max_pointer) return;
    // At most half full, so probes stay short and always end at an empty slot.
    if (2 * (entries_.size() + 1) > slots_.size()) grow();
    const std::size_t hash = hash_of(wire_suffix);
    const std::size_t slot = probe(wire_suffix, hash);
    if (slots_[slot] != 0) return;  // the first place is kept
    entries_.push_back(Entry{hash, static_cast<std::uint32_t>(text_.size()),
                             static_cast<std::uint16_t>(wire_suffix.size()),
                             static_cast<std::uint16_t>(offset), static_cast<std::uint32_t>(slot)});
    text_.append(wire_suffix);
    slots_[slot] = static_cast<std::uint32_t>(entries_.size());
}

void CompressionTable::grow() {
    slots_.assign(slots_.empty() ? initial_slots : 2 * slots_.size(), 0);
    // Re-inserted in insertion order, so truncate() may still clear the newest slots alone.
    for (std::size_t n = 0; n < entries_.size(); ++n) {
        Entry& e = entries_[n];
        e.slot = static_cast<std::uint32_t>(probe(text_of(e), e.hash));
        slots_[e.slot] = static_cast<std::uint32_t>(n + 1);
    }
}

void CompressionTable::truncate(std::size_t size) {
    while (entries_.size() > size) {
        const Entry& e = entries_.back();
        slots_[e.slot] = 0;
        text_.resize(e.text_begin);
        entries_.pop_back();
    }
}

}  // namespace dnsd::zones
