#pragma once
// Decoding a large cache.json on several threads: most of a start-up on a million instances
// was this one parser on one core. The file is cut between two entries of its instances list,
// at places found by a cheap scan, and each part is decoded by its own parser on its own
// thread, behind `{"instances":[` and before `]}` so that it reads as a document of the same
// nesting. A cut is only a guess until its parser confirms that the part ended right after a
// complete entry of the instances list (so the ',' at the cut is the one between two entries);
// the parts' data are then joined and the whole-document checks run on the join. Anything
// unexpected (a refused part, a read that came short, a problem in the join) decodes the file
// again whole on one thread: the verdict and its message are always the plain decoder's.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "registry/file_chunks.hpp"
#include "registry/snapshot_decode.hpp"

namespace dnsd::registry {

struct SplitDecodeOptions {
    unsigned threads = 1;                              // at most this many parts
    std::uint64_t min_part_bytes = std::uint64_t{4} << 20;  // smaller files: decoded whole
    std::size_t read_chunk_size = std::size_t{1} << 20;
};

struct SnapshotFileDecode {
    ChunkedRead read;              // ok, or the file is missing or unreadable
    SnapshotDecodeResult decoded;  // when read ok
    unsigned parts = 1;            // how many parsers decoded it at once (1: decoded whole)
};

SnapshotFileDecode decode_snapshot_file(const std::filesystem::path& file,
                                        const SplitDecodeOptions& options);

// Where a part may end: the offset in `text`, from `from` on, of a ',' with a '}' before it
// and a '{' after it (white space between allowed), as between two entries of a list of
// objects; npos if there is none. Only a guess: the part's parser confirms it.
std::size_t find_entry_boundary(std::string_view text, std::size_t from = 0);

}  // namespace dnsd::registry
