#pragma once
// Registry -> cache.json text, in two steps so that only the cheap one needs the registry:
// capture_snapshot copies what the file holds (control thread: the registry has one writer and
// no lock), encode_snapshot turns that copy into text on any thread, e.g. a writer thread that
// then calls write_file_atomically, so a large snapshot never pauses the control thread.
#include <string>

#include "registry/registry.hpp"
#include "registry/snapshot_format.hpp"

namespace dnsd::registry {

// Every instance (with its remaining lease), tombstone (with its age) and service without
// instances (with its idle time), measured now: the copy no longer depends on the clock.
SnapshotData capture_snapshot(const Registry& registry);

// Written as text directly rather than through a JSON DOM: with a million instances a DOM would
// cost several times the file's size in memory and most of the time.
// One entry per line, so that a person can read, grep and diff the file.
std::string encode_snapshot(const SnapshotData& data);

// capture_snapshot + encode_snapshot, for callers that write on the control thread.
std::string encode_snapshot(const Registry& registry);

}  // namespace dnsd::registry
