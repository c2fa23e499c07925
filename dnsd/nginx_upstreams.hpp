#pragma once
// The nginx file path as the node sees it: after each committed change, the changed services'
// upstream files are rendered and written (--nginx-upstream-dir), and when one changed nginx is
// reloaded (--nginx-reload-cmd, debounced). Runs on the control thread.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "dnsd/config.hpp"
#include "dnsd/nginx_reloader.hpp"
#include "dnsd/nginx_upstream_files.hpp"
#include "registry/registry.hpp"

namespace dnsd {

class NginxUpstreams {
public:
    // Null when --nginx-upstream-dir is not set.
    static std::unique_ptr<NginxUpstreams> from_config(boost::asio::io_context& control, const Config& config,
                                                       const registry::Clock& clock);
    NginxUpstreams(boost::asio::io_context& control, std::filesystem::path dir,
                   std::optional<std::string> reload_command, const registry::Clock& clock, ReloadTiming timing);

    // At start: every known service (the files may be older than the snapshot just loaded).
    void start(const registry::Registry& registry);
    // After a commit that changed these services.
    void changed(const registry::Registry& registry, const std::set<std::string>& services);
    void stop();

private:
    void after_write(bool changed);

    const registry::Clock& clock_;
    NginxUpstreamFiles files_;
    std::unique_ptr<NginxReloader> reloader_;
};

}  // namespace dnsd
