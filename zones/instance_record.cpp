#include "zones/instance_record.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "zones/name_hash.hpp"

namespace dnsd::zones {

namespace {
constexpr std::size_t max_character_string = 255;

// Appends one character-string made of `parts`, cut at 255 bytes; returns the bytes it takes.
std::size_t put_string(std::uint8_t* out, std::initializer_list<std::string_view> parts) {
    std::size_t len = 0;
    for (std::string_view p : parts) len += p.size();
    len = std::min(len, max_character_string);
    if (out) {
        out[0] = static_cast<std::uint8_t>(len);
        std::size_t at = 1;
        for (std::string_view p : parts) {
            const std::size_t n = std::min(p.size(), len - (at - 1));
            std::memcpy(out + at, p.data(), n);
            at += n;
        }
    }
    return 1 + len;
}

// The TXT rdata of `spec` (see InstanceRecord::txt_rdata): measured with out == nullptr.
std::size_t write_txt_rdata(std::uint8_t* out, const registry::InstanceSpec& spec) {
    std::size_t size = 0;
    const auto at = [&] { return out ? out + size : nullptr; };
    if (!spec.version.empty()) size += put_string(at(), {"version=", spec.version});
    for (const auto& [key, value] : spec.meta) size += put_string(at(), {key, "=", value});
    if (size == 0) {
        if (out) out[0] = 0;
        size = 1;
    }
    return size;
}
}  // namespace

std::uint32_t instance_hash(std::string_view id) { return static_cast<std::uint32_t>(NameHash{}(id)); }

InstanceRef InstanceRecord::make(std::string_view id, const registry::InstanceSpec& spec,
                                 std::shared_ptr<registry::LeaseCell> lease,
                                 std::uint64_t modify_index) {
    const std::size_t id_size = std::min(id.size(), limits::max_label);
    const std::size_t txt_size = write_txt_rdata(nullptr, spec);
    void* block = ::operator new(sizeof(InstanceRecord) + id_size + txt_size);
    auto* record = new (block) InstanceRecord();
    record->lease_ = std::move(lease);
    record->modify_index_ = modify_index;
    record->hash_ = instance_hash(id);
    record->txt_size_ = static_cast<std::uint32_t>(txt_size);
    record->port_ = spec.port;
    record->priority_ = spec.priority;
    record->weight_ = spec.weight;
    record->id_size_ = static_cast<std::uint8_t>(id_size);
    record->address_size_ = static_cast<std::uint8_t>(spec.address.size());
    std::memcpy(record->address_.data(), spec.address.data(), spec.address.size());
    std::memcpy(record->tail(), id.data(), id_size);
    write_txt_rdata(record->tail() + id_size, spec);
    return InstanceRef(record);
}

void InstanceRecord::destroy(const InstanceRecord* record) {
    record->~InstanceRecord();
    ::operator delete(const_cast<InstanceRecord*>(record));
}

}  // namespace dnsd::zones
