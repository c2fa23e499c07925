#include "dnsd/join_resolver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace dnsd {
namespace {

using namespace std::chrono_literals;

// Runs the loop until `done` or a generous bound: the look-ups are real (c-ares), but local
// (/etc/hosts, a refused port), so they finish in milliseconds; the bound only stops a hang.
template <typename Done>
void run_until(boost::asio::io_context& io, Done done) {
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < give_up) io.run_one_for(100ms);
}

TEST(JoinResolver, LiteralsAreSeedsAtOnceWithoutALookUp) {
    boost::asio::io_context io;
    std::vector<std::string> seen;
    JoinResolver resolver(io, {"10.0.0.5:8054", "[fd00::5]:9000"},
                          [&](const std::string& a) { seen.push_back(a); });
    resolver.start();
    EXPECT_EQ(seen, (std::vector<std::string>{"10.0.0.5:8054", "[fd00::5]:9000"}));
    EXPECT_EQ(resolver.pending(), 0u);
    EXPECT_EQ(io.poll(), 0u) << "nothing was scheduled for literals";
}

TEST(JoinResolver, NamesAreResolvedInTheLoopWithThePortKept) {
    boost::asio::io_context io;
    std::vector<std::string> seen;
    JoinResolver resolver(io, {"localhost:8054"}, [&](const std::string& a) { seen.push_back(a); });
    resolver.start();
    run_until(io, [&] { return resolver.lookups_done() >= 1; });
    ASSERT_EQ(resolver.lookups_done(), 1u);
    EXPECT_NE(std::find(seen.begin(), seen.end(), "127.0.0.1:8054"), seen.end())
        << "localhost comes from /etc/hosts";
    resolver.stop();
}

TEST(JoinResolver, AnUnresolvableNameIsRetriedAndGivesNothing) {
    boost::asio::io_context io;
    std::vector<std::string> seen;
    JoinResolverOptions options;
    options.retry = 1ms;
    options.servers = "127.0.0.1:1";  // nobody listens: every query is refused at once
    JoinResolver resolver(io, {"nowhere.invalid:8054"}, [&](const std::string& a) { seen.push_back(a); },
                          options);
    resolver.start();
    run_until(io, [&] { return resolver.lookups_done() >= 3; });
    EXPECT_GE(resolver.lookups_done(), 3u);
    EXPECT_TRUE(seen.empty());
    resolver.stop();
    io.run_for(50ms);  // what stop() cancelled completes without effect
    const auto done = resolver.lookups_done();
    io.run_for(20ms);
    EXPECT_EQ(resolver.lookups_done(), done) << "no retry after stop()";
}

}  // namespace
}  // namespace dnsd
