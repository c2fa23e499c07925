#include "registry/names.hpp"

#include <algorithm>

namespace dnsd::registry {

namespace {
bool is_ldh(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}
}  // namespace

bool is_valid_label(std::string_view label) {
    if (label.empty() || label.size() > 63) return false;
    return std::all_of(label.begin(), label.end(), is_ldh);
}

std::string canonical_label(std::string_view label) {
    std::string s(label);
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

}  // namespace dnsd::registry
