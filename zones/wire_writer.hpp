#pragma once
// A bounded writer into a caller's buffer. A write that does not fit writes nothing and makes
// the writer "overflowed" until the caller rolls back to a mark taken before the record: so a
// record is written whole or not at all, and the caller decides whether that means TC.
// Without a CompressionTable it never allocates (the query path uses it that way).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "zones/compression_table.hpp"

namespace dnsd::zones {

// RFC 2782 forbids compressing an SRV target (and RFC 3597 every name in rdata of types newer
// than RFC 1035): such names are written whole, though later names may still point into them.
enum class Compression : std::uint8_t { allowed, forbidden };

class WireWriter {
public:
    explicit WireWriter(std::span<std::uint8_t> buffer, CompressionTable* names = nullptr)
        : buffer_(buffer), names_(names) {}

    struct Mark {
        std::size_t size;
        std::size_t names;
    };
    Mark mark() const { return {size_, names_ ? names_->size() : 0}; }
    void rollback(Mark m);

    bool ok() const { return !overflow_; }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return buffer_.size(); }
    std::span<const std::uint8_t> written() const { return buffer_.first(size_); }

    void u8(std::uint8_t v);
    void u16(std::uint16_t v);
    void u32(std::uint32_t v);
    void bytes(std::span<const std::uint8_t> data);
    void bytes(std::string_view data);
    // A lower-case wire name; with a table, its longest known suffix becomes a pointer.
    void name(std::string_view wire, Compression compression = Compression::allowed);
    // A pointer to an earlier name at `target` (must be <= 0x3fff).
    void pointer(std::uint16_t target);
    // Overwrites two bytes already written (counts, rdlength).
    void patch_u16(std::size_t at, std::uint16_t v);

private:
    bool reserve(std::size_t n);

    std::span<std::uint8_t> buffer_;
    CompressionTable* names_;
    std::size_t size_ = 0;
    bool overflow_ = false;
};

}  // namespace dnsd::zones
