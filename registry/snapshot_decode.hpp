#pragma once
// cache.json text -> SnapshotData, checking every entry. Nothing touches a Registry here: the
// loader restores only once the whole file has been found valid.
#include <memory>
#include <string>
#include <string_view>

#include "registry/snapshot_format.hpp"

namespace dnsd::registry {

struct SnapshotDecodeResult {
    SnapshotData data;  // empty unless ok()
    // Empty on success; otherwise the first problem found, naming the entry and field, e.g.
    // "instances[3].port must be an integer from 1 to 65535, not 70000".
    std::string error;

    bool ok() const { return error.empty(); }
};

// Takes the text in pieces as it is read, so that the file is never in memory whole and no JSON
// tree of it is built: entries are decoded as the parser meets them.
class SnapshotDecoder {
public:
    SnapshotDecoder();
    ~SnapshotDecoder();
    SnapshotDecoder(const SnapshotDecoder&) = delete;
    SnapshotDecoder& operator=(const SnapshotDecoder&) = delete;

    // The next piece of the text. False once the text is known to be unusable: stop feeding.
    bool write(std::string_view piece);
    // After the last piece.
    SnapshotDecodeResult finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

SnapshotDecodeResult decode_snapshot(std::string_view json_text);

}  // namespace dnsd::registry
