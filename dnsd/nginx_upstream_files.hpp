#pragma once
// --nginx-upstream-dir: DIR/<service>.conf per service, replaced atomically (nginx reading it
// during a reload sees the old or the new file, never half of one) and only when its bytes
// change, so that a reload follows real changes only.
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "registry/registry.hpp"

namespace dnsd {

class NginxUpstreamFiles {
public:
    explicit NginxUpstreamFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Renders each named service from the registry and writes the files whose text changed.
    // A service the registry forgot (no live instance for an hour) keeps its last file: nginx
    // configurations still name that upstream, and a missing one would make every reload fail.
    // A write that fails is logged and tried again at the next call. True when a file changed.
    bool update(const registry::Registry& registry, const std::set<std::string>& services,
                registry::MonoMs now);
    // Every service the registry knows: at start.
    bool update_all(const registry::Registry& registry, registry::MonoMs now);

    std::filesystem::path file_of(const std::string& service) const { return dir_ / (service + ".conf"); }

private:
    // True when the file was (re)written.
    bool write_if_changed(const std::string& service, const std::string& text);

    std::filesystem::path dir_;
    std::map<std::string, std::string> written_;  // what each file holds, as far as we know
    std::set<std::string> failed_;                // services whose last write failed
};

}  // namespace dnsd
