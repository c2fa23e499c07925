#pragma once
// An instance's meta (TXT key=value pairs): the interface of the std::map it replaces, stored
// as one sorted vector. A map cost 48 bytes in every InstanceSpec plus a 112-byte node per
// entry (most instances carry one or two); the vector costs 24 plus the entries themselves.
#include <algorithm>
#include <compare>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dnsd::registry {

class MetaMap {
public:
    using key_type = std::string;
    using mapped_type = std::string;
    using value_type = std::pair<std::string, std::string>;
    using container_type = std::vector<value_type>;
    using iterator = container_type::iterator;
    using const_iterator = container_type::const_iterator;
    using size_type = std::size_t;

    MetaMap() = default;
    MetaMap(std::initializer_list<value_type> entries) {
        for (const value_type& e : entries) insert_or_assign(e.first, e.second);
    }
    // Implicit, as a map of the same content compares and assigns like one.
    MetaMap(const std::map<std::string, std::string>& entries)
        : entries_(entries.begin(), entries.end()) {}

    const_iterator begin() const { return entries_.begin(); }
    const_iterator end() const { return entries_.end(); }
    const_iterator cbegin() const { return entries_.cbegin(); }
    const_iterator cend() const { return entries_.cend(); }
    // Mutable iteration would let keys change and break the order: values only through [].
    size_type size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    void clear() { entries_.clear(); }

    const_iterator find(std::string_view key) const {
        auto it = lower(key);
        return it != entries_.end() && it->first == key ? it : entries_.end();
    }
    size_type count(std::string_view key) const { return find(key) == end() ? 0 : 1; }
    bool contains(std::string_view key) const { return find(key) != end(); }
    const std::string& at(std::string_view key) const {
        auto it = find(key);
        if (it == end()) throw std::out_of_range("MetaMap::at: no such key");
        return it->second;
    }

    template <typename K, typename V>
    std::pair<const_iterator, bool> emplace(K&& key, V&& value) {
        const std::string_view k(key);
        auto it = lower(k);
        if (it != entries_.end() && it->first == k) return {it, false};
        return {entries_.emplace(it, std::forward<K>(key), std::forward<V>(value)), true};
    }
    template <typename K, typename V>
    std::pair<const_iterator, bool> try_emplace(K&& key, V&& value) {
        return emplace(std::forward<K>(key), std::forward<V>(value));
    }
    std::pair<const_iterator, bool> insert(value_type entry) {
        return emplace(std::move(entry.first), std::move(entry.second));
    }
    template <typename K, typename V>
    std::pair<const_iterator, bool> insert_or_assign(K&& key, V&& value) {
        const std::string_view k(key);
        auto it = lower(k);
        if (it != entries_.end() && it->first == k) {
            it->second = std::forward<V>(value);
            return {it, false};
        }
        return {entries_.emplace(it, std::forward<K>(key), std::forward<V>(value)), true};
    }
    template <typename K>
    std::string& operator[](K&& key) {
        const std::string_view k(key);
        auto it = lower(k);
        if (it == entries_.end() || it->first != k) it = entries_.emplace(it, std::forward<K>(key), std::string());
        return it->second;
    }
    size_type erase(std::string_view key) {
        auto it = lower(key);
        if (it == entries_.end() || it->first != key) return 0;
        entries_.erase(it);
        return 1;
    }

    friend bool operator==(const MetaMap&, const MetaMap&) = default;

private:
    iterator lower(std::string_view key) {
        return std::lower_bound(entries_.begin(), entries_.end(), key,
                                [](const value_type& e, std::string_view k) { return e.first < k; });
    }
    const_iterator lower(std::string_view key) const {
        return std::lower_bound(entries_.begin(), entries_.end(), key,
                                [](const value_type& e, std::string_view k) { return e.first < k; });
    }

    container_type entries_;
};

}  // namespace dnsd::registry
