#pragma once
// A writer for the Prometheus text exposition format 0.0.4: one "# HELP"/"# TYPE" header per
// family, then its samples. Kept apart from what is measured so the format is tested alone.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace dnsd {

class MetricsText {
public:
    using Label = std::pair<std::string_view, std::string_view>;

    // type: "counter" or "gauge".
    void family(std::string_view name, std::string_view type, std::string_view help);
    // Writes `name{labels} value` for the family opened last.
    void sample(std::uint64_t value, std::initializer_list<Label> labels = {});

    const std::string& text() const { return text_; }
    std::string take() { return std::move(text_); }

private:
    std::string text_;
    std::string name_;
};

// Label values may hold '\\', '"' and newlines only in escaped form (format 0.0.4).
std::string escape_label_value(std::string_view value);

}  // namespace dnsd
