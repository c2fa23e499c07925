#include "dnsd/dnsctl_table.hpp"

#include <algorithm>

namespace dnsd::ctl {

std::string format_table(const TableRow& header, const std::vector<TableRow>& rows) {
    std::vector<std::size_t> widths(header.size(), 0);
    auto measure = [&](const TableRow& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    };
    measure(header);
    for (const auto& row : rows) measure(row);

    std::string out;
    auto emit = [&](const TableRow& row) {
        std::string line;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < row.size() ? row[i] : "";
            line += cell;
            if (i + 1 < widths.size()) line += std::string(widths[i] - cell.size() + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    };
    emit(header);
    for (const auto& row : rows) emit(row);
    return out;
}

}  // namespace dnsd::ctl
