#include "dnsd/nginx_reload_command.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <future>

namespace dnsd {
namespace {

using std::chrono::milliseconds;

TEST(NginxReloadCommand, SuccessWithOutput) {
    const auto r = run_shell_command("echo reloaded; echo warn >&2", milliseconds(10'000));
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.output, "reloaded\nwarn\n");
}

TEST(NginxReloadCommand, ExitStatusAndOutputOfAFailure) {
    const auto r = run_shell_command("echo 'nginx: [emerg] bad' >&2; exit 3", milliseconds(10'000));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.started);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.describe(), "exit status 3");
    EXPECT_EQ(r.output, "nginx: [emerg] bad\n");
}

TEST(NginxReloadCommand, AMissingProgramIsAFailureOfTheShell) {
    const auto r = run_shell_command("/nonexistent/nginx -s reload", milliseconds(10'000));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.exit_code, 127);
    EXPECT_NE(r.output.find("nonexistent"), std::string::npos) << r.output;
}

TEST(NginxReloadCommand, AHangingCommandIsKilledAtItsTimeLimit) {
    const auto r = run_shell_command("sleep 30", milliseconds(100));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.signal, SIGKILL);
}

TEST(NginxReloadCommand, OutputIsBounded) {
    const auto r = run_shell_command("head -c 100000 /dev/zero | tr '\\0' x", milliseconds(10'000));
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.output.size(), 4096u);
}

TEST(NginxReloadCommand, RunnerReportsFromItsThreadAndStopKillsTheCommand) {
    ShellCommandRunner runner(milliseconds(10'000));
    std::promise<CommandResult> first;
    runner.run("exit 0", [&](CommandResult r) { first.set_value(std::move(r)); });
    auto got = first.get_future();
    ASSERT_EQ(got.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_TRUE(got.get().ok());

    std::promise<CommandResult> second;
    runner.run("sleep 30", [&](CommandResult r) { second.set_value(std::move(r)); });
    const auto before = std::chrono::steady_clock::now();
    runner.stop();  // joins: the command was killed, not waited for
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
    auto killed = second.get_future();
    ASSERT_EQ(killed.wait_for(milliseconds(0)), std::future_status::ready);
    EXPECT_FALSE(killed.get().ok());
}

}  // namespace
}  // namespace dnsd
