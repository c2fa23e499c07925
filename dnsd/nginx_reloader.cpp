#include "dnsd/nginx_reloader.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace dnsd {

namespace asio = boost::asio;

NginxReloader::NginxReloader(asio::io_context& control, std::string command, const registry::Clock& clock,
                             ReloadTiming timing, CommandRunner runner)
    : control_(control), command_(std::move(command)), clock_(clock), schedule_(timing), timer_(control),
      alive_(std::make_shared<NginxReloader*>(this)) {
    if (runner) {
        runner_ = std::move(runner);
    } else {
        shell_ = std::make_unique<ShellCommandRunner>();
        runner_ = [shell = shell_.get()](const std::string& cmd, std::function<void(CommandResult)> done) {
            shell->run(cmd, std::move(done));
        };
    }
}

NginxReloader::~NginxReloader() { stop(); }

void NginxReloader::changed() {
    if (stopped_) return;
    schedule_.changed(clock_.mono_ms());
    arm();
}

void NginxReloader::stop() {
    stopped_ = true;
    timer_.cancel();
    if (shell_) shell_->stop();
    alive_.reset();
}

void NginxReloader::arm() {
    const auto next = schedule_.next_start();
    if (!next || stopped_) return;
    timer_.expires_after(std::chrono::milliseconds(std::max<std::int64_t>(0, *next - clock_.mono_ms())));
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) start_due();
    });
}

void NginxReloader::start_due() {
    if (stopped_) return;
    if (!schedule_.start(clock_.mono_ms())) return arm();
    ++runs_;
    spdlog::debug("nginx reload: running '{}'", command_);
    std::weak_ptr<NginxReloader*> alive = alive_;
    runner_(command_, [control = &control_, alive](CommandResult result) {
        // From the runner's thread back to the control thread, unless the reloader is gone.
        asio::post(*control, [alive, result = std::move(result)] {
            if (auto self = alive.lock()) (*self)->finished(result);
        });
    });
}

void NginxReloader::finished(const CommandResult& result) {
    schedule_.finished(result.ok(), clock_.mono_ms());
    if (result.ok()) {
        spdlog::info("nginx reload: '{}' succeeded", command_);
    } else {
        std::string output = result.output;
        while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
        const auto retry = schedule_.next_start();
        spdlog::error("nginx reload: '{}' failed ({}){}{}; retrying in {} ms", command_, result.describe(),
                      output.empty() ? "" : ": ", output,
                      retry ? *retry - clock_.mono_ms() : 0);
    }
    arm();
}

}  // namespace dnsd
