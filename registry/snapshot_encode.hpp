#pragma once
// Registry -> cache.json text. Runs on the control thread (the registry is single-threaded);
// the returned text can then be written anywhere, e.g. by write_file_atomically on another thread.
#include <string>

#include "registry/registry.hpp"

namespace dnsd::registry {

// Written as text directly rather than through a JSON DOM: with a million instances a DOM would
// cost several times the file's size in memory and most of the time, on the control thread.
// One entry per line, so that a person can read, grep and diff the file.
std::string encode_snapshot(const Registry& registry);

}  // namespace dnsd::registry
