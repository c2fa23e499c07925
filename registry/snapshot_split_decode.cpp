#include "registry/snapshot_split_decode.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "registry/snapshot_handler.hpp"

namespace dnsd::registry {

namespace {

// Read around each nominal cut to find a real one; an entry longer than this only moves the
// cut to the next window or drops it (one part fewer).
constexpr std::size_t boundary_window = 64 * 1024;
// When no two boundaries are seen: about what dnsd writes for an instance with one meta pair.
constexpr std::size_t default_entry_bytes = 220;

bool is_white(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct Part {
    SnapshotPart kind = SnapshotPart::whole;
    std::uint64_t begin = 0;
    std::uint64_t end = RangeReadableFile::to_end;
    std::size_t expected_instances = 0;
    SnapshotDecodeResult result;
    bool read_ok = false;
    std::exception_ptr failure;
};

struct Plan {
    std::vector<std::uint64_t> cuts;  // offsets of the ',' between two instances, rising
    std::size_t entry_bytes = default_entry_bytes;
};

Plan plan_cuts(const RangeReadableFile& file, const SplitDecodeOptions& options) {
    Plan plan;
    const std::uint64_t size = file.size();
    const std::uint64_t by_size = options.min_part_bytes > 0 ? size / options.min_part_bytes : 1;
    const std::uint64_t parts = std::max<std::uint64_t>(1, std::min<std::uint64_t>(options.threads, by_size));
    // One window in the middle even for one part: it tells the size of an entry, which sizes
    // the instances list up front (growing it moved every decoded entry again, several times).
    const std::uint64_t windows = std::max<std::uint64_t>(parts, 2);
    bool entry_bytes_known = false;
    for (std::uint64_t k = 1; k < windows; ++k) {
        const std::uint64_t nominal = size * k / windows;
        std::string window;
        file.read_range(nominal, nominal + boundary_window, boundary_window, [&](std::string_view piece) {
            window.append(piece);
            return true;
        });
        const std::size_t at = find_entry_boundary(window);
        if (at == std::string_view::npos) continue;
        if (!entry_bytes_known) {
            const std::size_t next = find_entry_boundary(window, at + 1);
            if (next != std::string_view::npos) {
                plan.entry_bytes = std::max<std::size_t>(next - at, 16);
                entry_bytes_known = true;
            }
        }
        if (parts < 2) continue;
        const std::uint64_t cut = nominal + at;
        if (plan.cuts.empty() || cut > plan.cuts.back()) plan.cuts.push_back(cut);
    }
    return plan;
}

// A guess with a tenth to spare: reserving more than is used costs address space, not memory.
std::size_t expected_entries(std::uint64_t bytes, std::size_t entry_bytes) {
    return static_cast<std::size_t>(bytes / entry_bytes + bytes / entry_bytes / 10 + 16);
}

void decode_part(const RangeReadableFile& file, const SplitDecodeOptions& options, Part& part) {
    try {
        SnapshotDecoder decoder(part.kind, part.expected_instances);
        const ChunkedRead read = file.read_range(part.begin, part.end, options.read_chunk_size,
                                                 [&](std::string_view piece) { return decoder.write(piece); });
        // A part that came short (the file shrank meanwhile) is not what was planned.
        part.read_ok = read.status == ChunkedRead::Status::ok &&
                       (part.end == RangeReadableFile::to_end || read.bytes == part.end - part.begin);
        part.result = decoder.finish();
    } catch (...) {
        part.failure = std::current_exception();
    }
}

// Every part decoded and joined, or nullopt-like false when the file must be decoded whole.
bool decode_in_parts(const RangeReadableFile& file, const SplitDecodeOptions& options,
                     const Plan& plan, SnapshotDecodeResult& out) {
    std::vector<Part> parts(plan.cuts.size() + 1);
    const std::uint64_t size = file.size();
    for (std::size_t k = 0; k < parts.size(); ++k) {
        Part& p = parts[k];
        const bool first = k == 0;
        const bool last = k + 1 == parts.size();
        p.kind = first ? SnapshotPart::first : last ? SnapshotPart::last : SnapshotPart::middle;
        p.begin = first ? 0 : plan.cuts[k - 1] + 1;
        p.end = last ? RangeReadableFile::to_end : plan.cuts[k];
        const std::uint64_t bytes = (last ? size : p.end) - std::min(p.begin, size);
        // The first part's list receives the others': sized for the whole file.
        p.expected_instances = expected_entries(first ? size : bytes, plan.entry_bytes);
    }
    std::vector<std::thread> threads;
    threads.reserve(parts.size() - 1);
    try {
        for (std::size_t k = 1; k < parts.size(); ++k)
            threads.emplace_back([&file, &options, &part = parts[k]] { decode_part(file, options, part); });
    } catch (...) {
        // No thread to be had: whatever started is waited for, and the file is decoded whole.
        for (std::thread& t : threads) t.join();
        return false;
    }
    decode_part(file, options, parts[0]);
    for (std::thread& t : threads) t.join();

    for (const Part& p : parts)
        if (p.failure || !p.read_ok || !p.result.ok()) return false;
    SnapshotData joined = std::move(parts[0].result.data);
    std::uint32_t seen = parts[0].result.root_fields_seen;
    for (std::size_t k = 1; k < parts.size(); ++k) {
        SnapshotHandler::append_part(joined, seen, std::move(parts[k].result.data),
                                     parts[k].result.root_fields_seen);
        parts[k].result = {};  // its memory back now, not at the end
    }
    if (!SnapshotHandler::root_problem(seen, joined).empty()) return false;
    out.data = std::move(joined);
    out.root_fields_seen = seen;
    return true;
}

}  // namespace

std::size_t find_entry_boundary(std::string_view text, std::size_t from) {
    for (std::size_t at = text.find(',', from); at != std::string_view::npos; at = text.find(',', at + 1)) {
        std::size_t before = at;
        while (before > 0 && is_white(text[before - 1])) --before;
        if (before == 0 || text[before - 1] != '}') continue;
        std::size_t after = at + 1;
        while (after < text.size() && is_white(text[after])) ++after;
        if (after < text.size() && text[after] == '{') return at;
    }
    return std::string_view::npos;
}

SnapshotFileDecode decode_snapshot_file(const std::filesystem::path& file,
                                        const SplitDecodeOptions& options) {
    SnapshotFileDecode out;
    const RangeReadableFile in(file);
    if (in.opened().status != ChunkedRead::Status::ok) {
        out.read = in.opened();
        return out;
    }
    const Plan plan = plan_cuts(in, options);
    if (!plan.cuts.empty() && decode_in_parts(in, options, plan, out.decoded)) {
        out.parts = static_cast<unsigned>(plan.cuts.size() + 1);
        return out;
    }
    SnapshotDecoder decoder(SnapshotPart::whole, expected_entries(in.size(), plan.entry_bytes));
    out.read = in.read_range(0, RangeReadableFile::to_end, options.read_chunk_size,
                             [&](std::string_view piece) { return decoder.write(piece); });
    if (out.read.status == ChunkedRead::Status::ok) out.decoded = decoder.finish();
    return out;
}

}  // namespace dnsd::registry
