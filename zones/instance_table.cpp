#include "zones/instance_table.hpp"

#include <algorithm>
#include <bit>

namespace dnsd::zones {

namespace {
constexpr std::size_t records_per_shard = 64;

unsigned shard_bits_for(std::size_t records) {
    const std::size_t shards = std::bit_ceil(std::max<std::size_t>(1, records / records_per_shard));
    return static_cast<unsigned>(std::countr_zero(shards));
}
}  // namespace

const InstanceRecord* InstanceTable::find(std::string_view id) const {
    if (size_ == 0) return nullptr;
    const std::uint32_t hash = instance_hash(id);
    const Shard* shard = shards_[shard_of(hash)].get();
    if (!shard) return nullptr;
    const std::size_t mask = shard->slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const InstanceRecord* r = shard->slots[i].get();
        if (!r) return nullptr;
        if (r->hash() == hash && r->id() == id) return r;
    }
}

InstanceTableEditor::InstanceTableEditor(const InstanceTable& base, std::size_t expected) {
    const unsigned wanted = shard_bits_for(expected);
    // Within a factor of two of the ideal layout the base is kept: re-sharding copies every
    // record, so it should happen only as a service doubles or halves.
    const bool suits = !base.shards_.empty() && base.shard_bits_ + 1 >= wanted && base.shard_bits_ <= wanted + 1;
    if (suits) {
        table_ = base;
        kept_base_ = true;
    } else {
        table_.shard_bits_ = wanted;
        table_.shards_.assign(std::size_t{1} << wanted, nullptr);
    }
    edits_.resize(table_.shards_.size());
}

std::size_t InstanceTableEditor::base_count(std::size_t shard) const {
    const auto& s = table_.shards_[shard];
    return s ? s->count : 0;
}

std::vector<InstanceRef>& InstanceTableEditor::writable(std::size_t shard) {
    auto& edit = edits_[shard];
    if (!edit) {
        edit = std::make_unique<std::vector<InstanceRef>>();
        if (const auto& s = table_.shards_[shard]) {
            edit->reserve(s->count + 1);
            for (const InstanceRef& r : s->slots)
                if (r) edit->push_back(r);
        }
    }
    return *edit;
}

void InstanceTableEditor::put(InstanceRef record) {
    std::vector<InstanceRef>& list = writable(shard_of(record->hash()));
    for (InstanceRef& r : list) {
        if (r->hash() == record->hash() && r->id() == record->id()) {
            r = std::move(record);
            return;
        }
    }
    list.push_back(std::move(record));
}

void InstanceTableEditor::erase(std::string_view id) {
    const std::uint32_t hash = instance_hash(id);
    std::vector<InstanceRef>& list = writable(shard_of(hash));
    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const InstanceRef& r) { return r->hash() == hash && r->id() == id; });
    if (it == list.end()) return;
    *it = std::move(list.back());
    list.pop_back();
}

InstanceTable InstanceTableEditor::finish() && {
    for (std::size_t i = 0; i < edits_.size(); ++i) {
        if (!edits_[i]) continue;
        std::vector<InstanceRef>& list = *edits_[i];
        if (list.empty()) {
            table_.shards_[i] = nullptr;
            continue;
        }
        auto shard = std::make_shared<InstanceTable::Shard>();
        // At most 3/4 full, so every probe ends at an empty slot.
        shard->slots.resize(std::bit_ceil(list.size() + list.size() / 3 + 1));
        const std::size_t mask = shard->slots.size() - 1;
        for (InstanceRef& r : list) {
            std::size_t at = r->hash() & mask;
            while (shard->slots[at]) at = (at + 1) & mask;
            shard->slots[at] = std::move(r);
        }
        shard->count = static_cast<std::uint32_t>(list.size());
        table_.shards_[i] = std::move(shard);
    }
    table_.size_ = 0;
    for (const auto& s : table_.shards_) table_.size_ += s ? s->count : 0;
    return std::move(table_);
}

}  // namespace dnsd::zones
