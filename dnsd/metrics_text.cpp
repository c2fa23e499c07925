#include "dnsd/metrics_text.hpp"

namespace dnsd {

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void MetricsText::family(std::string_view name, std::string_view type, std::string_view help) {
    name_ = name;
    text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void MetricsText::sample(std::uint64_t value, std::initializer_list<Label> labels) {
    text_ += name_;
    if (labels.size() != 0) {
        text_ += '{';
        bool first = true;
        for (const auto& [key, label_value] : labels) {
            if (!first) text_ += ',';
            first = false;
            text_.append(key).append("=\"").append(escape_label_value(label_value)).append("\"");
        }
        text_ += '}';
    }
    text_.append(" ").append(std::to_string(value)).append("\n");
}

}  // namespace dnsd
