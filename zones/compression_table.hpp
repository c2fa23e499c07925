#pragma once
// The names already written into a message being built, by wire suffix, so a later name can end
// in a pointer to an earlier one (RFC 1035 §4.1.4). Build-time only: it allocates. Entries are
// kept in insertion order so a writer's rollback can forget the ones added after its mark.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zones/name_hash.hpp"

namespace dnsd::zones {

class CompressionTable {
public:
    // Where an earlier copy of exactly this wire name (or suffix) starts, if any.
    std::optional<std::uint16_t> find(std::string_view wire_suffix) const;
    // Remembers the first place a suffix was written; later copies and offsets a pointer cannot
    // reach (over 0x3fff) are not recorded.
    void remember(std::string_view wire_suffix, std::size_t offset);

    std::size_t size() const { return order_.size(); }
    // Forgets every entry added after the table had `size` entries.
    void truncate(std::size_t size);
    // While frozen, names are still found but none is remembered: the records written meanwhile
    // (an RRset whose order rotates at send time) must not be pointed into, since they move.
    void freeze(bool frozen) { frozen_ = frozen; }

private:
    std::unordered_map<std::string, std::uint16_t, NameHash, NameEqual> offsets_;
    std::vector<std::string> order_;
    bool frozen_ = false;
};

}  // namespace dnsd::zones
