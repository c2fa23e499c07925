#pragma once
// cache.json text -> SnapshotData, checking every entry. Nothing touches a Registry here: the
// loader restores only once the whole file has been found valid.
#include <cstddef>
#include <cstdint>
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
    // The top-level fields the text held, one bit each: what joining parts needs
    // (SnapshotHandler::root_problem).
    std::uint32_t root_fields_seen = 0;

    bool ok() const { return error.empty(); }
};

// Which piece of a cache.json the decoder is given (snapshot_split_decode.hpp cuts a file
// between two entries of its instances list and decodes the parts on several threads).
enum class SnapshotPart : std::uint8_t {
    whole,   // the file
    first,   // from the start of the file to just before a ',' between two instances
    middle,  // from just after such a ',' to just before the next cut
    last,    // from just after the last cut to the end of the file
};

// Takes the text in pieces as it is read, so that the file is never in memory whole and no JSON
// tree of it is built: entries are decoded as the parser meets them.
class SnapshotDecoder {
public:
    SnapshotDecoder();
    // A part of a file: its data, with the checks of the whole document left to the join.
    // `expected_instances` sizes the list up front (a guess; 0: none).
    explicit SnapshotDecoder(SnapshotPart part, std::size_t expected_instances = 0);
    ~SnapshotDecoder();
    SnapshotDecoder(const SnapshotDecoder&) = delete;
    SnapshotDecoder& operator=(const SnapshotDecoder&) = delete;

    // The next piece of the text. False once the text is known to be unusable: stop feeding.
    bool write(std::string_view piece);
    // After the last piece. A first or middle part is refused unless it ended right after an
    // entry of the instances list (the cut was where it should be).
    SnapshotDecodeResult finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

SnapshotDecodeResult decode_snapshot(std::string_view json_text);

}  // namespace dnsd::registry
