#include "dnsd/nginx_upstream_files.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "dnsd/nginx_upstream_render.hpp"
#include "registry/atomic_file.hpp"

namespace dnsd {

namespace {

// What a file holds now ("" when missing): after a restart, unchanged files are not rewritten
// and nginx is not reloaded for nothing.
std::string current_content(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

bool NginxUpstreamFiles::update(const registry::Registry& registry, const std::set<std::string>& services,
                                registry::MonoMs now) {
    std::set<std::string> todo = services;
    todo.insert(failed_.begin(), failed_.end());
    bool changed = false;
    for (const auto& name : todo) {
        const registry::Service* service = registry.find(name);
        if (!service) {
            failed_.erase(name);
            continue;
        }
        if (write_if_changed(name, render_upstream(name, live_upstream_servers(*service, now)))) changed = true;
    }
    return changed;
}

bool NginxUpstreamFiles::update_all(const registry::Registry& registry, registry::MonoMs now) {
    std::set<std::string> all;
    for (const auto& [name, service] : registry.services()) all.insert(name);
    return update(registry, all, now);
}

bool NginxUpstreamFiles::write_if_changed(const std::string& service, const std::string& text) {
    auto known = written_.find(service);
    if (known == written_.end()) known = written_.emplace(service, current_content(file_of(service))).first;
    if (known->second == text) {
        failed_.erase(service);
        return false;
    }
    if (const auto ec = registry::write_file_atomically(file_of(service), text)) {
        spdlog::error("nginx upstream file {}: {}; nginx keeps the previous one, retrying at the next change",
                      file_of(service).string(), ec.message());
        failed_.insert(service);
        return false;
    }
    failed_.erase(service);
    known->second = text;
    spdlog::info("nginx upstream file {} written", file_of(service).string());
    return true;
}

}  // namespace dnsd
