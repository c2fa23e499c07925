// Start-up failures: one clear line on stderr, exit 2 for bad usage, 1 (or 2) for runtime
// failures such as a port already in use. Also --help and --version, which exit 0.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Holds 127.0.0.1:port for UDP and TCP (listening) without SO_REUSEPORT, so dnsd cannot bind it.
class PortSquatter {
public:
    explicit PortSquatter(std::uint16_t port) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        udp_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        tcp_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ok_ = ::bind(udp_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
              ::bind(tcp_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
              ::listen(tcp_, 1) == 0;
    }
    ~PortSquatter() {
        ::close(udp_);
        ::close(tcp_);
    }
    PortSquatter(const PortSquatter&) = delete;
    PortSquatter& operator=(const PortSquatter&) = delete;
    bool ok() const { return ok_; }

private:
    int udp_ = -1;
    int tcp_ = -1;
    bool ok_ = false;
};

std::vector<std::string> base_args(const TempDir& dir, std::uint16_t dns, std::uint16_t http) {
    return {"--dns", "127.0.0.1:" + std::to_string(dns), "--http", "127.0.0.1:" + std::to_string(http),
            "--data-dir", dir.path().string(), "--node-name", "e2e-node", "--threads", "1"};
}

// The stderr lines that are not empty.
std::size_t line_count(const std::string& text) {
    std::size_t lines = 0;
    bool in_line = false;
    for (char c : text) {
        if (c == '\n') {
            lines += in_line ? 1 : 0;
            in_line = false;
        } else {
            in_line = true;
        }
    }
    return lines + (in_line ? 1 : 0);
}

TEST(BadUsage, UnknownOptionExits2WithAMessage) {
    auto process = DnsdProcess::spawn_raw({"--no-such-option"});
    const ExitStatus status = process->wait_exit(10s);
    EXPECT_TRUE(status.exited) << status.describe();
    EXPECT_EQ(status.code, 2) << "bad usage exits 2";
    EXPECT_THAT(process->log(), HasSubstr("no-such-option")) << "the message names the culprit";
}

TEST(BadUsage, BadOptionValueExits2) {
    TempDir dir;
    auto args = base_args(dir, pick_free_port(), pick_free_port());
    args.insert(args.end(), {"--max-ttl", "soon"});
    auto process = DnsdProcess::spawn_raw(args);
    const ExitStatus status = process->wait_exit(10s);
    EXPECT_TRUE(status.exited && status.code == 2) << status.describe() << "\n" << process->log();
    EXPECT_FALSE(process->log().empty());
}

TEST(BadUsage, DnsPortInUseExits1WithAClearLine) {
    const std::uint16_t port = pick_free_port();
    const PortSquatter squatter(port);
    ASSERT_TRUE(squatter.ok());
    TempDir dir;
    auto process = DnsdProcess::spawn_raw(base_args(dir, port, pick_free_port()));
    const ExitStatus status = process->wait_exit(10s);
    ASSERT_TRUE(status.exited) << "dnsd kept running without its DNS port: " << status.describe();
    EXPECT_TRUE(status.code == 1 || status.code == 2) << status.describe();
    const std::string log = process->log();
    EXPECT_THAT(log, HasSubstr(std::to_string(port))) << "the line names the address";
    EXPECT_LE(line_count(log), 3u) << "one clear line, not a dump:\n" << log;
}

TEST(BadUsage, HttpPortInUseExits1) {
    const std::uint16_t port = pick_free_port();
    const PortSquatter squatter(port);
    ASSERT_TRUE(squatter.ok());
    TempDir dir;
    auto process = DnsdProcess::spawn_raw(base_args(dir, pick_free_port(), port));
    const ExitStatus status = process->wait_exit(10s);
    ASSERT_TRUE(status.exited) << "dnsd kept running without its HTTP port: " << status.describe();
    EXPECT_TRUE(status.code == 1 || status.code == 2) << status.describe();
    EXPECT_THAT(process->log(), HasSubstr(std::to_string(port)));
}

TEST(BadUsage, UnreadableAuthTokenFileFails) {
    TempDir dir;
    auto args = base_args(dir, pick_free_port(), pick_free_port());
    args.insert(args.end(), {"--auth-token-file", (dir.path() / "missing-token").string()});
    auto process = DnsdProcess::spawn_raw(args);
    const ExitStatus status = process->wait_exit(10s);
    ASSERT_TRUE(status.exited) << "dnsd started without its token file: " << status.describe();
    EXPECT_TRUE(status.code == 1 || status.code == 2) << status.describe();
    EXPECT_THAT(process->log(), HasSubstr("missing-token"));
}

TEST(BadUsage, HelpAndVersionExit0) {
    auto help = DnsdProcess::spawn_raw({"--help"});
    const ExitStatus help_status = help->wait_exit(10s);
    EXPECT_TRUE(help_status.exited && help_status.code == 0) << help_status.describe();
    EXPECT_THAT(help->log(), HasSubstr("--dns"));
    EXPECT_THAT(help->log(), HasSubstr("--max-ttl"));

    auto version = DnsdProcess::spawn_raw({"--version"});
    const ExitStatus version_status = version->wait_exit(10s);
    EXPECT_TRUE(version_status.exited && version_status.code == 0) << version_status.describe();
    EXPECT_FALSE(version->log().empty());
}

}  // namespace
}  // namespace dnsd::e2e
