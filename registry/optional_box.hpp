#pragma once
// A value that is almost always its default, kept out of line: one pointer in place of the
// value, null while the value is T{}. InstanceSpec holds its health check and health state in
// these: together 112 bytes in every instance, and all but a few instances have no check (at a
// million instances that was ~100 MB of defaults).
//
// Reading never allocates: `*box` and `box->` are const and give a shared default when empty.
// Writing is explicit: `box.edit()` makes the value its own, `box = value` stores a copy (and
// goes back to null when the value is the default).
#include <memory>
#include <utility>

namespace dnsd::registry {

template <class T>
class OptionalBox {
public:
    OptionalBox() = default;
    OptionalBox(const T& value) { *this = value; }  // NOLINT(google-explicit-constructor): a value
    OptionalBox(const OptionalBox& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    OptionalBox(OptionalBox&&) noexcept = default;
    OptionalBox& operator=(const OptionalBox& other) {
        if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    OptionalBox& operator=(OptionalBox&&) noexcept = default;
    OptionalBox& operator=(T value) {
        if (value == T{}) value_.reset();
        else if (value_) *value_ = std::move(value);
        else value_ = std::make_unique<T>(std::move(value));
        return *this;
    }

    const T& operator*() const { return value_ ? *value_ : default_value(); }
    const T* operator->() const { return &**this; }
    operator const T&() const { return **this; }  // NOLINT(google-explicit-constructor)
    // The value, made this box's own for writing (allocates once).
    T& edit() {
        if (!value_) value_ = std::make_unique<T>();
        return *value_;
    }
    // Whether a value other than the default may be held (false: certainly the default).
    bool allocated() const { return value_ != nullptr; }

    friend bool operator==(const OptionalBox& a, const OptionalBox& b) { return *a == *b; }
    friend bool operator==(const OptionalBox& a, const T& b) { return *a == b; }

private:
    static const T& default_value() {
        static const T value{};
        return value;
    }

    std::unique_ptr<T> value_;
};

}  // namespace dnsd::registry
