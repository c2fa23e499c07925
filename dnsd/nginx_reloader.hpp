#pragma once
// --nginx-reload-cmd on the control io_context: ReloadSchedule decides when, a CommandRunner
// (by default ShellCommandRunner, on its own thread) runs the command, and the result comes
// back to the control thread through the io_context. Nothing here blocks the control thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "dnsd/nginx_reload_command.hpp"
#include "dnsd/nginx_reload_schedule.hpp"
#include "registry/clock.hpp"

namespace dnsd {

class NginxReloader {
public:
    // Without a runner, commands run through a ShellCommandRunner owned by the reloader.
    NginxReloader(boost::asio::io_context& control, std::string command, const registry::Clock& clock,
                  ReloadTiming timing = {}, CommandRunner runner = {});
    ~NginxReloader();
    NginxReloader(const NginxReloader&) = delete;
    NginxReloader& operator=(const NginxReloader&) = delete;

    // A file changed: nginx is reloaded after the debounce.
    void changed();
    // No more runs; a command in flight is killed. Called on shutdown.
    void stop();

    const ReloadSchedule& schedule() const { return schedule_; }
    std::uint64_t runs() const { return runs_; }

private:
    void arm();
    void start_due();
    void finished(const CommandResult& result);

    boost::asio::io_context& control_;
    std::string command_;
    const registry::Clock& clock_;
    ReloadSchedule schedule_;
    std::unique_ptr<ShellCommandRunner> shell_;
    CommandRunner runner_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
    std::uint64_t runs_ = 0;
    // Results posted by the runner's thread check it: none may reach a destroyed reloader.
    std::shared_ptr<NginxReloader*> alive_;
};

}  // namespace dnsd
