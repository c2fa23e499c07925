#pragma once
// Why a --zone-file was refused: the line (1-based; 0 when the fault is the whole file, such as
// a missing file) and a reason an operator can act on.
#include <cstddef>
#include <filesystem>
#include <string>

namespace dnsd::zones {

struct ZoneFileError {
    std::size_t line = 0;
    std::string reason;

    // "zone file /etc/dnsd/static.zone line 12: <reason>", the form every log line uses.
    std::string message(const std::filesystem::path& file) const {
        std::string text = "zone file " + file.string();
        if (line != 0) text += " line " + std::to_string(line);
        return text + ": " + reason;
    }
};

}  // namespace dnsd::zones
