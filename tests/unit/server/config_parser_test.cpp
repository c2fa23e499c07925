#include "dnsd/config_parser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace dnsd {
namespace {

ConfigOutcome parse(std::vector<std::string> args) { return parse_config(args); }

TEST(ConfigParser, DefaultsAreSpecDefaults) {
    const auto out = parse({"--node-name", "alpha"});
    ASSERT_TRUE(out.config) << out.message;
    const Config& c = *out.config;
    ASSERT_EQ(c.dns.size(), 1u);
    EXPECT_EQ(c.dns[0].to_string(), "127.0.0.1:8053");
    EXPECT_EQ(c.http.to_string(), "127.0.0.1:8054");
    EXPECT_EQ(c.domain, "svc");
    EXPECT_EQ(c.data_dir, "./dnsd-data");
    EXPECT_EQ(c.lease_s, 30);
    EXPECT_EQ(c.max_ttl_s, 5);
    EXPECT_DOUBLE_EQ(c.gossip_interval_s, 1.0);
    EXPECT_GE(c.threads, 1u);
    EXPECT_EQ(c.node_label, "alpha");
    EXPECT_EQ(c.advertised().to_string(), "127.0.0.1:8054");
}

TEST(ConfigParser, RepeatableDnsAndIpv6Brackets) {
    const auto out = parse({"--dns", "127.0.0.1:5300", "--dns", "[::1]:5301", "--http", "[::1]:9000"});
    ASSERT_TRUE(out.config) << out.message;
    ASSERT_EQ(out.config->dns.size(), 2u);
    EXPECT_EQ(out.config->dns[1].host, "::1");
    EXPECT_EQ(out.config->dns[1].port, 5301);
    EXPECT_EQ(out.config->http.to_string(), "[::1]:9000");
}

TEST(ConfigParser, JoinIsRepeatableAndTakesNamesAndLiterals) {
    const auto out = parse({"--join", "10.0.0.5:8054", "--join", "Peer-2.Example.COM.:9000",
                            "--join", "[fd00::5]:8054"});
    ASSERT_TRUE(out.config) << out.message;
    EXPECT_EQ(out.config->join,
              (std::vector<std::string>{"10.0.0.5:8054", "peer-2.example.com:9000", "[fd00::5]:8054"}));
}

TEST(ConfigParser, JoinAddressSyntax) {
    auto name = parse_join_address("dnsd-1.internal:8054");
    ASSERT_TRUE(name);
    EXPECT_EQ(name->host, "dnsd-1.internal");
    EXPECT_EQ(name->port, 8054);
    auto v6 = parse_join_address("[::1]:1");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, 1);
    EXPECT_FALSE(parse_join_address("[::1]:0"));
    EXPECT_FALSE(parse_join_address("host:"));
    EXPECT_FALSE(parse_join_address("host:80x"));
    EXPECT_FALSE(parse_join_address("a..b:80"));
}

TEST(ConfigParser, GossipKeyFileIsAccepted) {
    const auto file = std::filesystem::temp_directory_path() / "dnsd-config-parser-key";
    {
        std::ofstream out(file);
        out << "0123456789abcdef0123456789abcdef\n";
    }
    const auto out = parse({"--gossip-key-file", file.string()});
    std::filesystem::remove(file);
    ASSERT_TRUE(out.config) << out.message;
    ASSERT_TRUE(out.config->gossip_key_file);
    EXPECT_EQ(*out.config->gossip_key_file, file);
}

TEST(ConfigParser, HelpAndVersionExitZero) {
    auto help = parse({"--help"});
    EXPECT_FALSE(help.config);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.message.find("--max-ttl"), std::string::npos);
    auto version = parse({"--version"});
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.message.rfind("dnsd ", 0), 0u);
}

TEST(ConfigParser, BadUsageExitsTwoWithAReason) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--bogus"}, "bogus"},
        {{"--dns", "localhost:53"}, "--dns"},
        {{"--dns", "::1:53"}, "--dns"},
        {{"--dns", "127.0.0.1:70000"}, "--dns"},
        {{"--http", "127.0.0.1"}, "--http"},
        {{"--lease", "0"}, "--lease"},
        {{"--lease", "abc"}, "--lease"},
        {{"--max-ttl", "-1"}, "--max-ttl"},
        {{"--gossip-interval", "0"}, "--gossip-interval"},
        {{"--threads", "0"}, "--threads"},
        {{"--domain", "bad..name"}, "--domain"},
        {{"--domain", std::string(60, 'a') + "." + std::string(60, 'b') + ".cccccc"}, "--domain"},
        {{"--log-level", "loud"}, "--log-level"},
        {{"--self-preservation-percent", "101"}, "--self-preservation-percent"},
        {{"--auth-token-file", "/nonexistent/token"}, "--auth-token-file"},
        {{"--join", "10.0.0.5"}, "--join"},
        {{"--join", ":8054"}, "--join"},
        {{"--join", "peer:0"}, "--join"},
        {{"--join", "peer:65536"}, "--join"},
        {{"--join", "fd00::5:8054"}, "--join"},
        {{"--join", "[fd00::5]"}, "--join"},
        {{"--join", "bad host:8054"}, "--join"},
        {{"--gossip-key-file", "/nonexistent/key"}, "--gossip-key-file"},
    };
    for (const auto& [args, mention] : cases) {
        const auto out = parse(args);
        EXPECT_FALSE(out.config) << args[0];
        EXPECT_EQ(out.exit_code, 2) << args[0];
        EXPECT_NE(out.message.find(mention), std::string::npos) << out.message;
    }
}

TEST(ConfigParser, ConfigFileUsesTheSameKeysAndTheCommandLineWins) {
    const auto file = std::filesystem::temp_directory_path() / "dnsd-config-parser-test.conf";
    {
        std::ofstream out(file);
        out << "domain = svc.example\nlease = 12\nmax-ttl = 3\n";
    }
    const auto out = parse({"--config", file.string(), "--lease", "20"});
    std::filesystem::remove(file);
    ASSERT_TRUE(out.config) << out.message;
    EXPECT_EQ(out.config->domain, "svc.example");
    EXPECT_EQ(out.config->lease_s, 20);
    EXPECT_EQ(out.config->max_ttl_s, 3);
}

TEST(ConfigParser, AuthTokenIsReadAndTrimmed) {
    const auto file = std::filesystem::temp_directory_path() / "dnsd-config-parser-token";
    {
        std::ofstream out(file);
        out << "  s3cret\n";
    }
    const auto out = parse({"--auth-token-file", file.string()});
    std::filesystem::remove(file);
    ASSERT_TRUE(out.config) << out.message;
    EXPECT_EQ(out.config->auth_token, "s3cret");
}

TEST(ConfigParser, SelfPreservationShareIsAPercentage) {
    EXPECT_EQ(parse({}).config->self_preservation_percent, 15);
    const auto off = parse({"--self-preservation-percent", "0"});
    ASSERT_TRUE(off.config) << off.message;
    EXPECT_EQ(off.config->self_preservation_percent, 0);
    EXPECT_EQ(parse({"--self-preservation-percent", "40"}).config->self_preservation_percent, 40);
}

TEST(ConfigParser, NodeLabelFromHostName) {
    EXPECT_EQ(node_label_from_name("Web_01.example.com"), "web-01");
    EXPECT_EQ(node_label_from_name("___"), "");
    EXPECT_EQ(node_label_from_name(std::string(80, 'a')).size(), 63u);
}

TEST(ConfigParser, ListenAddressForms) {
    EXPECT_TRUE(parse_listen_address("0.0.0.0:53"));
    EXPECT_TRUE(parse_listen_address("[::]:53"));
    EXPECT_FALSE(parse_listen_address("[::1]53"));
    EXPECT_FALSE(parse_listen_address("[127.0.0.1]:53"));
    EXPECT_FALSE(parse_listen_address("127.0.0.1:"));
    EXPECT_FALSE(parse_listen_address("127.0.0.1:+5"));
}

TEST(ConfigParser, NginxUpstreamDirMustBeAnExistingDirectory) {
    const auto dir = std::filesystem::temp_directory_path() / "dnsd-config-parser-nginx";
    std::filesystem::create_directories(dir);
    const auto ok = parse({"--nginx-upstream-dir", dir.string(), "--nginx-reload-cmd", "nginx -s reload"});
    ASSERT_TRUE(ok.config) << ok.message;
    EXPECT_EQ(ok.config->nginx_upstream_dir, dir);
    EXPECT_EQ(ok.config->nginx_reload_cmd, "nginx -s reload");
    EXPECT_EQ(ok.config->nginx_reload_delay_ms, 1000);

    const auto missing = parse({"--nginx-upstream-dir", (dir / "nope").string()});
    EXPECT_FALSE(missing.config);
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.message.find("--nginx-upstream-dir"), std::string::npos) << missing.message;
    EXPECT_NE(missing.message.find("not an existing directory"), std::string::npos) << missing.message;
    EXPECT_EQ(std::count(missing.message.begin(), missing.message.end(), '\n'), 1) << missing.message;

    const auto file = dir / "a-file";
    std::ofstream(file) << "x";
    EXPECT_EQ(parse({"--nginx-upstream-dir", file.string()}).exit_code, 2);
    std::filesystem::remove_all(dir);
}

TEST(ConfigParser, NginxReloadCmdNeedsTheDirAndSomeText) {
    const auto alone = parse({"--nginx-reload-cmd", "nginx -s reload"});
    EXPECT_FALSE(alone.config);
    EXPECT_EQ(alone.exit_code, 2);
    EXPECT_NE(alone.message.find("needs --nginx-upstream-dir"), std::string::npos) << alone.message;
    const auto blank = parse({"--nginx-upstream-dir", std::filesystem::temp_directory_path().string(),
                              "--nginx-reload-cmd", "  "});
    EXPECT_EQ(blank.exit_code, 2);
    EXPECT_NE(blank.message.find("must not be empty"), std::string::npos) << blank.message;
}

TEST(ConfigParser, NginxOptionsInTheConfigFile) {
    const auto file = std::filesystem::temp_directory_path() / "dnsd-config-parser-nginx.conf";
    {
        std::ofstream out(file);
        out << "nginx-upstream-dir = " << std::filesystem::temp_directory_path().string()
            << "\nnginx-reload-cmd = kill -HUP 1234\n";
    }
    const auto out = parse({"--config", file.string()});
    std::filesystem::remove(file);
    ASSERT_TRUE(out.config) << out.message;
    EXPECT_EQ(out.config->nginx_upstream_dir, std::filesystem::temp_directory_path());
    EXPECT_EQ(out.config->nginx_reload_cmd, "kill -HUP 1234");
}

}  // namespace
}  // namespace dnsd
