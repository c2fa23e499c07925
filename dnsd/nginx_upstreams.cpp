#include "dnsd/nginx_upstreams.hpp"

namespace dnsd {

std::unique_ptr<NginxUpstreams> NginxUpstreams::from_config(boost::asio::io_context& control, const Config& config,
                                                            const registry::Clock& clock) {
    if (!config.nginx_upstream_dir) return nullptr;
    ReloadTiming timing;
    timing.debounce_ms = config.nginx_reload_delay_ms;
    return std::make_unique<NginxUpstreams>(control, *config.nginx_upstream_dir, config.nginx_reload_cmd, clock,
                                            timing);
}

NginxUpstreams::NginxUpstreams(boost::asio::io_context& control, std::filesystem::path dir,
                               std::optional<std::string> reload_command, const registry::Clock& clock,
                               ReloadTiming timing)
    : clock_(clock), files_(std::move(dir)) {
    if (reload_command) reloader_ = std::make_unique<NginxReloader>(control, *reload_command, clock, timing);
}

void NginxUpstreams::start(const registry::Registry& registry) {
    after_write(files_.update_all(registry, clock_.mono_ms()));
}

void NginxUpstreams::changed(const registry::Registry& registry, const std::set<std::string>& services) {
    after_write(files_.update(registry, services, clock_.mono_ms()));
}

void NginxUpstreams::stop() {
    if (reloader_) reloader_->stop();
}

void NginxUpstreams::after_write(bool changed) {
    if (changed && reloader_) reloader_->changed();
}

}  // namespace dnsd
