#pragma once
// One instance as the zone keeps it: the few fields its own answers need (at <id>.S.<apex> and
// <id>._S._tcp.<apex>), in one immutable heap block, written into the reply at query time
// (instance_answer.hpp). Five prepared messages per instance cost about a kilobyte and had to
// be rebuilt for every instance of a service whenever one of them changed; a record is ~80
// bytes and is shared, unchanged, by every zone generation until its registry entry changes.
//
// Records are reference-counted intrusively (InstanceRef) so that a table slot is one pointer.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "registry/instance.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones {

class InstanceRef;

class InstanceRecord {
public:
    // `lease` must not be null. Allocates (control thread only).
    static InstanceRef make(std::string_view id, const registry::InstanceSpec& spec,
                            std::shared_ptr<registry::LeaseCell> lease, std::uint64_t modify_index);

    InstanceRecord(const InstanceRecord&) = delete;
    InstanceRecord& operator=(const InstanceRecord&) = delete;

    // The id label, lower case as the registry keeps it.
    std::string_view id() const { return {reinterpret_cast<const char*>(tail()), id_size_}; }
    // The hash the instance tables file it under (NameHash of the id, truncated).
    std::uint32_t hash() const { return hash_; }
    RrType address_type() const { return address_size_ == 16 ? RrType::aaaa : RrType::a; }
    std::span<const std::uint8_t> address() const { return {address_.data(), address_size_}; }
    std::uint16_t port() const { return port_; }
    std::uint16_t priority() const { return priority_; }
    std::uint16_t weight() const { return weight_; }
    // The TXT rdata, ready to copy: "version=…" then "key=value" per meta entry, each a
    // character-string cut at 255 bytes; one empty string when there is none (RFC 6763 §6.1).
    std::span<const std::uint8_t> txt_rdata() const { return {tail() + id_size_, txt_size_}; }
    const registry::LeaseCell* lease() const { return lease_.get(); }
    // The registry entry this record was made from: same index and same lease cell, same record.
    std::uint64_t modify_index() const { return modify_index_; }
    bool made_from(const registry::Instance& instance) const {
        return modify_index_ == instance.modify_index && lease_.get() == instance.lease.get();
    }

private:
    friend class InstanceRef;
    InstanceRecord() = default;
    ~InstanceRecord() = default;
    const std::uint8_t* tail() const { return reinterpret_cast<const std::uint8_t*>(this + 1); }
    std::uint8_t* tail() { return reinterpret_cast<std::uint8_t*>(this + 1); }
    static void destroy(const InstanceRecord* record);

    std::shared_ptr<registry::LeaseCell> lease_;
    std::uint64_t modify_index_ = 0;
    mutable std::atomic<std::uint32_t> refs_{1};
    std::uint32_t hash_ = 0;
    std::uint32_t txt_size_ = 0;
    std::uint16_t port_ = 0;
    std::uint16_t priority_ = 0;
    std::uint16_t weight_ = 0;
    std::uint8_t id_size_ = 0;
    std::uint8_t address_size_ = 0;
    std::array<std::uint8_t, 16> address_{};
    // Followed in the same block by the id bytes, then the TXT rdata.
};

// An owning pointer to an immutable record; copies share it (atomic count: zone generations are
// released on DNS threads too).
class InstanceRef {
public:
    InstanceRef() = default;
    InstanceRef(const InstanceRef& other) : record_(other.record_) { retain(); }
    InstanceRef(InstanceRef&& other) noexcept : record_(other.record_) { other.record_ = nullptr; }
    InstanceRef& operator=(InstanceRef other) noexcept {
        std::swap(record_, other.record_);
        return *this;
    }
    ~InstanceRef() { release(); }
    // Another owner of a record that is already owned (by a table, say).
    static InstanceRef share(const InstanceRecord& record) {
        InstanceRef ref(&record);
        ref.retain();
        return ref;
    }

    const InstanceRecord* get() const { return record_; }
    const InstanceRecord& operator*() const { return *record_; }
    const InstanceRecord* operator->() const { return record_; }
    explicit operator bool() const { return record_ != nullptr; }

private:
    friend class InstanceRecord;
    explicit InstanceRef(const InstanceRecord* adopted) : record_(adopted) {}
    void retain() const {
        if (record_) record_->refs_.fetch_add(1, std::memory_order_relaxed);
    }
    void release() {
        if (record_ && record_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1)
            InstanceRecord::destroy(record_);
        record_ = nullptr;
    }

    const InstanceRecord* record_ = nullptr;
};

// The 32 bits of NameHash an instance table files `id` under.
std::uint32_t instance_hash(std::string_view id);

}  // namespace dnsd::zones
