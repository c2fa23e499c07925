#include "dnsd/nginx_upstream_render.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

UpstreamServer render_server(const char* address, std::uint16_t port, std::uint16_t weight = 100,
                             std::uint16_t priority = 0, const char* id = "i") {
    return UpstreamServer{*registry::IpAddress::parse(address), port, weight, priority, id};
}

std::string render_body(const std::string& text) {
    // Everything after the comment line: what nginx reads.
    return text.substr(text.find('\n') + 1);
}

TEST(NginxUpstreamRender, OneServerLinePerInstanceWithItsWeight) {
    const auto text = render_upstream("api", {render_server("10.0.0.3", 8861, 100), render_server("10.0.0.4", 8862, 5)});
    EXPECT_EQ(text.rfind("# Written by dnsd", 0), 0u) << text;
    EXPECT_EQ(render_body(text),
              "upstream api {\n"
              "    server 10.0.0.3:8861 weight=100;\n"
              "    server 10.0.0.4:8862 weight=5;\n"
              "}\n");
}

TEST(NginxUpstreamRender, OrderIsDeterministicWhateverTheInput) {
    std::vector<UpstreamServer> a{render_server("10.0.0.9", 1), render_server("10.0.0.1", 2),
                                  render_server("::1", 3), render_server("10.0.0.1", 1)};
    std::vector<UpstreamServer> b(a.rbegin(), a.rend());
    EXPECT_EQ(render_upstream("api", a), render_upstream("api", b));
    EXPECT_EQ(render_body(render_upstream("api", a)),
              "upstream api {\n"
              "    server 10.0.0.1:1 weight=100;\n"
              "    server 10.0.0.1:2 weight=100;\n"
              "    server 10.0.0.9:1 weight=100;\n"
              "    server [::1]:3 weight=100;\n"
              "}\n");
}

TEST(NginxUpstreamRender, Ipv6InBrackets) {
    EXPECT_NE(render_upstream("api", {render_server("fd00::5", 80)}).find("server [fd00::5]:80 weight=100;"),
              std::string::npos);
}

TEST(NginxUpstreamRender, LowestPriorityIsPrimaryTheRestBackup) {
    const auto text = render_upstream(
        "api", {render_server("10.0.0.3", 80, 10, 20), render_server("10.0.0.1", 80, 10, 10),
                render_server("10.0.0.2", 80, 10, 30), render_server("10.0.0.4", 80, 10, 10)});
    EXPECT_EQ(render_body(text),
              "upstream api {\n"
              "    server 10.0.0.1:80 weight=10;\n"
              "    server 10.0.0.4:80 weight=10;\n"
              "    server 10.0.0.3:80 weight=10 backup;\n"
              "    server 10.0.0.2:80 weight=10 backup;\n"
              "}\n");
}

TEST(NginxUpstreamRender, WeightZeroBecomesOneBecauseNginxRefusesZero) {
    const auto text = render_upstream("api", {render_server("10.0.0.3", 80, 0), render_server("10.0.0.4", 80, 65535)});
    EXPECT_NE(text.find("server 10.0.0.3:80 weight=1;"), std::string::npos) << text;
    EXPECT_NE(text.find("server 10.0.0.4:80 weight=65535;"), std::string::npos) << text;
    EXPECT_EQ(text.find("weight=0"), std::string::npos) << text;
}

TEST(NginxUpstreamRender, NoInstanceGivesAServerMarkedDown) {
    const auto text = render_upstream("api", {});
    EXPECT_NE(text.find("upstream api {\n"), std::string::npos) << text;
    EXPECT_NE(text.find("    server 127.0.0.1:1 down;\n}\n"), std::string::npos) << text;
}

TEST(NginxUpstreamRender, LiveServersLeaveOutExpiredAndCriticalInstances) {
    registry::ManualClock clock;
    registry::Registry reg(clock);
    auto spec = [](const char* id, const char* address, std::int64_t ttl_ms) {
        registry::InstanceSpec s;
        s.service = "api";
        s.id = id;
        s.address = *registry::IpAddress::parse(address);
        s.port = 8080;
        s.weight = 7;
        s.priority = 3;
        s.ttl_ms = ttl_ms;
        return s;
    };
    reg.renew(spec("short", "10.0.0.1", 1000));
    reg.renew(spec("long", "10.0.0.2", 60'000));
    auto sick = spec("sick", "10.0.0.3", 60'000);
    sick.health.edit().status = registry::Health::critical;
    reg.renew(sick);
    clock.advance_ms(2000);  // "short" is over, not yet swept
    const auto live = live_upstream_servers(*reg.find("api"), clock.mono_ms());
    ASSERT_EQ(live.size(), 1u);
    EXPECT_EQ(live[0].id, "long");
    EXPECT_EQ(live[0].address.to_string(), "10.0.0.2");
    EXPECT_EQ(live[0].port, 8080);
    EXPECT_EQ(live[0].weight, 7);
    EXPECT_EQ(live[0].priority, 3);
}

}  // namespace
}  // namespace dnsd
