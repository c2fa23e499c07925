#include "dnsd/nginx_reloader.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>

namespace dnsd {
namespace {

// Debounce and backoff of zero: the timers fire at once, so the io_context only needs polling.
constexpr ReloadTiming kImmediateTiming{.debounce_ms = 0, .first_retry_ms = 0, .max_retry_ms = 0};

struct HeldRunner {
    std::vector<std::string> commands;
    std::vector<std::function<void(CommandResult)>> pending;
    CommandRunner runner() {
        return [this](const std::string& command, std::function<void(CommandResult)> done) {
            commands.push_back(command);
            pending.push_back(std::move(done));
        };
    }
    void finish(int exit_code) {
        auto done = std::move(pending.front());
        pending.erase(pending.begin());
        CommandResult r;
        r.started = true;
        r.exit_code = exit_code;
        r.output = exit_code == 0 ? "" : "nginx: [emerg] test\n";
        done(r);
    }
};

void poll_all(boost::asio::io_context& io) {
    for (int i = 0; i < 20; ++i) {
        io.restart();
        io.poll();
    }
}

TEST(NginxReloader, RunsTheCommandOnceAfterAChange) {
    boost::asio::io_context io;
    registry::SystemClock clock;
    HeldRunner held;
    NginxReloader reloader(io, "nginx -s reload", clock, kImmediateTiming, held.runner());
    poll_all(io);
    EXPECT_TRUE(held.commands.empty());
    reloader.changed();
    reloader.changed();
    poll_all(io);
    ASSERT_EQ(held.commands.size(), 1u);
    EXPECT_EQ(held.commands[0], "nginx -s reload");
    held.finish(0);
    poll_all(io);
    EXPECT_EQ(held.commands.size(), 1u);
    EXPECT_EQ(reloader.schedule().failures(), 0u);
}

TEST(NginxReloader, NeverStartsASecondRunWhileOneIsInFlight) {
    boost::asio::io_context io;
    registry::SystemClock clock;
    HeldRunner held;
    NginxReloader reloader(io, "reload", clock, kImmediateTiming, held.runner());
    reloader.changed();
    poll_all(io);
    ASSERT_EQ(held.commands.size(), 1u);
    for (int i = 0; i < 5; ++i) reloader.changed();
    poll_all(io);
    EXPECT_EQ(held.commands.size(), 1u);  // still the first one in flight
    held.finish(0);
    poll_all(io);
    EXPECT_EQ(held.commands.size(), 2u);  // the changes during it get exactly one more
    held.finish(0);
    poll_all(io);
    EXPECT_EQ(held.commands.size(), 2u);
}

TEST(NginxReloader, AFailureIsRetriedUntilItSucceeds) {
    boost::asio::io_context io;
    registry::SystemClock clock;
    HeldRunner held;
    NginxReloader reloader(io, "reload", clock, kImmediateTiming, held.runner());
    reloader.changed();
    poll_all(io);
    held.finish(1);
    poll_all(io);
    ASSERT_EQ(held.commands.size(), 2u);
    EXPECT_EQ(reloader.schedule().failures(), 1u);
    held.finish(1);
    poll_all(io);
    ASSERT_EQ(held.commands.size(), 3u);
    held.finish(0);
    poll_all(io);
    EXPECT_EQ(held.commands.size(), 3u);
    EXPECT_EQ(reloader.schedule().failures(), 0u);
}

TEST(NginxReloader, AResultAfterStopIsIgnored) {
    boost::asio::io_context io;
    registry::SystemClock clock;
    HeldRunner held;
    {
        NginxReloader reloader(io, "reload", clock, kImmediateTiming, held.runner());
        reloader.changed();
        poll_all(io);
        ASSERT_EQ(held.commands.size(), 1u);
    }
    held.finish(1);  // the reloader is gone: its posted result must not touch it
    poll_all(io);
    EXPECT_EQ(held.commands.size(), 1u);
}

TEST(NginxReloader, RealShellCommandsAreRetriedToo) {
    boost::asio::io_context io;
    registry::SystemClock clock;
    const auto marker = std::filesystem::temp_directory_path() /
                        ("dnsd-nginx-reloader-" + std::to_string(::getpid()));
    std::filesystem::remove(marker);
    // Fails the first time (and leaves the marker), succeeds the second.
    const std::string command = "if [ -e '" + marker.string() + "' ]; then exit 0; else touch '" +
                                marker.string() + "'; exit 1; fi";
    NginxReloader reloader(io, command, clock, kImmediateTiming);
    reloader.changed();
    const auto bound = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < bound && (reloader.runs() < 2 || reloader.schedule().running())) {
        io.restart();
        io.run_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(reloader.runs(), 2u);
    EXPECT_FALSE(reloader.schedule().pending());
    EXPECT_EQ(reloader.schedule().failures(), 0u);
    std::filesystem::remove(marker);
}

}  // namespace
}  // namespace dnsd
