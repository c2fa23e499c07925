// The nginx file path: dnsd writes upstream blocks (--nginx-upstream-dir) and reloads nginx
// (--nginx-reload-cmd) when they change. A real nginx includes the files and serves them.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "free_port.hpp"
#include "harness.hpp"
#include "nginx_backend.hpp"
#include "nginx_process.hpp"
#include "temp_dir.hpp"

namespace dnsd::e2e {
namespace {

using std::chrono::milliseconds;

std::string upstream_fetch(const NginxProcess& nginx, const std::string& path = "/") {
    const auto r = http_get(nginx.port(), path, milliseconds(5000));
    return r.status == 200 ? r.body : "status " + std::to_string(r.status) + " " + r.failure;
}

unsigned upstream_register(const DnsdProcess& dnsd, const std::string& json) {
    return heartbeat(dnsd, json).status;
}

TEST(NginxUpstreamFiles, ReloadedNginxServesTheNewBackend) {
    ASSERT_EQ(NginxProcess::unavailable(), "");
    TempDir work;
    const auto dir = work.path() / "upstreams";
    std::filesystem::create_directories(dir);
    const auto pid_file = work.path() / "nginx.pid";

    std::unique_ptr<NginxTestBackend> one, two;
    for (int attempt = 0; attempt < 5 && !(one && one->ok() && two && two->ok()); ++attempt) {
        one = std::make_unique<NginxTestBackend>("127.0.0.2", pick_free_port(), "one");
        two = std::make_unique<NginxTestBackend>("127.0.0.3", pick_free_port(), "two");
    }
    ASSERT_TRUE(one->ok() && two->ok()) << one->failure() << two->failure();

    DnsdOptions options;
    options.extra_args = {"--nginx-upstream-dir", dir.string(), "--nginx-reload-cmd",
                          "kill -HUP \"$(cat '" + pid_file.string() + "')\""};
    DnsdProcess dnsd(options);
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(upstream_register(dnsd, R"({"service":"web","id":"one","address":"127.0.0.2","port":)" +
                                          std::to_string(one->port()) + R"(,"ttl":120})"),
              200u);
    // Files nginx must accept as they are: weight 0, backup (priority), IPv6, and a service
    // whose only instance is gone (the placeholder server marked down).
    ASSERT_EQ(upstream_register(dnsd, R"([{"service":"mixed","id":"a","address":"127.0.0.4","port":80,"weight":0},
        {"service":"mixed","id":"b","address":"::1","port":81,"priority":5},
        {"service":"gone","id":"c","address":"127.0.0.5","port":82}])"),
              200u);
    ASSERT_EQ(http_delete(dnsd.http_port(), "/v1/instances/gone/c").status, 200u);
    ASSERT_TRUE(eventually(
        [&] {
            const auto gone = read_file(dir / "gone.conf");
            return read_file(dir / "web.conf").find("127.0.0.2:" + std::to_string(one->port())) !=
                       std::string::npos &&
                   gone.find("down;") != std::string::npos && read_file(dir / "mixed.conf").find("backup") != std::string::npos;
        },
        milliseconds(5000)))
        << dnsd.log();
    EXPECT_NE(read_file(dir / "mixed.conf").find("server 127.0.0.4:80 weight=1;"), std::string::npos)
        << read_file(dir / "mixed.conf");
    EXPECT_NE(read_file(dir / "mixed.conf").find("server [::1]:81 weight=100 backup;"), std::string::npos)
        << read_file(dir / "mixed.conf");

    NginxProcess nginx("    include " + dir.string() + "/*.conf;\n"
                       "    server {\n"
                       "        listen 127.0.0.1:@PORT@;\n"
                       "        location / { proxy_pass http://web; proxy_connect_timeout 2s; }\n"
                       "    }\n",
                       pid_file);
    ASSERT_TRUE(nginx.started()) << nginx.failure();
    for (int i = 0; i < 5; ++i) ASSERT_EQ(upstream_fetch(nginx), "one") << nginx.error_log();

    const auto web_before = read_file(dir / "web.conf");
    ASSERT_EQ(upstream_register(dnsd, R"({"service":"web","id":"two","address":"127.0.0.3","port":)" +
                                          std::to_string(two->port()) + R"(,"ttl":120})"),
              200u);
    ASSERT_EQ(http_delete(dnsd.http_port(), "/v1/instances/web/one").status, 200u);
    int two_in_a_row = 0;
    ASSERT_TRUE(eventually(
        [&] {
            two_in_a_row = upstream_fetch(nginx) == "two" ? two_in_a_row + 1 : 0;
            return two_in_a_row >= 5;
        },
        milliseconds(15'000), milliseconds(100)))
        << "web.conf:\n" << read_file(dir / "web.conf") << "\nnginx:\n" << nginx.error_log() << "\ndnsd:\n" << dnsd.log();
    const auto web_after = read_file(dir / "web.conf");
    EXPECT_NE(web_after, web_before);
    EXPECT_EQ(web_after.find("127.0.0.2"), std::string::npos) << web_after;
    EXPECT_NE(dnsd.log().find("nginx reload: 'kill -HUP"), std::string::npos) << dnsd.log();
    EXPECT_NE(dnsd.log().find("succeeded"), std::string::npos) << dnsd.log();
    EXPECT_NE(nginx.error_log().find("reconfiguring"), std::string::npos) << nginx.error_log();
    const auto one_before = one->requests();
    for (int i = 0; i < 10; ++i) ASSERT_EQ(upstream_fetch(nginx), "two") << nginx.error_log();
    EXPECT_EQ(one->requests(), one_before);
    nginx.stop();
    EXPECT_EQ(dnsd.terminate().code, 0);
}

TEST(NginxUpstreamFiles, AMissingDirectoryIsABadOption) {
    TempDir work;
    const auto missing = work.path() / "no-such-dir";
    auto dnsd = DnsdProcess::spawn_raw({"--nginx-upstream-dir", missing.string(), "--http", "127.0.0.1:0",
                                        "--dns", "127.0.0.1:0", "--data-dir", (work.path() / "data").string()});
    const auto status = dnsd->wait_exit();
    EXPECT_TRUE(status.exited) << status.describe();
    EXPECT_EQ(status.code, 2) << dnsd->log();
    const std::string log = dnsd->log();
    EXPECT_NE(log.find("--nginx-upstream-dir: '" + missing.string() + "' is not an existing directory"),
              std::string::npos)
        << log;
    EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
}

}  // namespace
}  // namespace dnsd::e2e
