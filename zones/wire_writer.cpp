#include "zones/wire_writer.hpp"

#include <cstring>

#include "zones/wire_types.hpp"

namespace dnsd::zones {

void WireWriter::rollback(Mark m) {
    size_ = m.size;
    if (names_) names_->truncate(m.names);
    overflow_ = false;
}

bool WireWriter::reserve(std::size_t n) {
    if (overflow_ || buffer_.size() - size_ < n) {
        overflow_ = true;
        return false;
    }
    return true;
}

void WireWriter::u8(std::uint8_t v) {
    if (!reserve(1)) return;
    buffer_[size_++] = v;
}

void WireWriter::u16(std::uint16_t v) {
    if (!reserve(2)) return;
    buffer_[size_++] = static_cast<std::uint8_t>(v >> 8);
    buffer_[size_++] = static_cast<std::uint8_t>(v);
}

void WireWriter::u32(std::uint32_t v) {
    if (!reserve(4)) return;
    buffer_[size_++] = static_cast<std::uint8_t>(v >> 24);
    buffer_[size_++] = static_cast<std::uint8_t>(v >> 16);
    buffer_[size_++] = static_cast<std::uint8_t>(v >> 8);
    buffer_[size_++] = static_cast<std::uint8_t>(v);
}

void WireWriter::bytes(std::span<const std::uint8_t> data) {
    if (!reserve(data.size())) return;
    if (!data.empty()) std::memcpy(buffer_.data() + size_, data.data(), data.size());
    size_ += data.size();
}

void WireWriter::bytes(std::string_view data) {
    bytes({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()});
}

void WireWriter::pointer(std::uint16_t target) { u16(static_cast<std::uint16_t>(0xc000 | target)); }

void WireWriter::patch_u16(std::size_t at, std::uint16_t v) {
    if (at + 2 > size_) return;
    buffer_[at] = static_cast<std::uint8_t>(v >> 8);
    buffer_[at + 1] = static_cast<std::uint8_t>(v);
}

void WireWriter::name(std::string_view wire, Compression compression) {
    if (!names_) {
        bytes(wire);
        return;
    }
    // Find the longest suffix written before (label boundaries only); the root alone is not
    // worth a two-byte pointer.
    std::size_t cut = wire.size() - 1;  // where the pointer replaces the rest
    std::optional<std::uint16_t> target;
    if (compression == Compression::allowed) {
        for (std::size_t at = 0; at + 1 < wire.size();
             at += 1 + static_cast<std::uint8_t>(wire[at])) {
            if ((target = names_->find(wire.substr(at)))) {
                cut = at;
                break;
            }
        }
    }
    const std::size_t start = size_;
    if (target) {
        bytes(wire.substr(0, cut));
        pointer(*target);
    } else {
        bytes(wire);
    }
    if (!ok()) return;
    for (std::size_t at = 0; at < cut; at += 1 + static_cast<std::uint8_t>(wire[at]))
        names_->remember(wire.substr(at), start + at);
}

}  // namespace dnsd::zones
