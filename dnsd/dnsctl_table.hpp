#pragma once
// Plain-text tables for people: a header row, columns padded to their widest cell and separated
// by two spaces, no trailing blanks.
#include <string>
#include <vector>

namespace dnsd::ctl {

using TableRow = std::vector<std::string>;

std::string format_table(const TableRow& header, const std::vector<TableRow>& rows);

}  // namespace dnsd::ctl
