#include "dnsd/nginx_upstream_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace dnsd {
namespace {

class NginxUpstreamFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("dnsd-nginx-files-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    void add(const char* id, const char* address, std::uint16_t port) {
        registry::InstanceSpec s;
        s.service = "api";
        s.id = id;
        s.address = *registry::IpAddress::parse(address);
        s.port = port;
        s.ttl_ms = 10'000;
        reg_.renew(s);
    }
    std::string content(const std::string& name) const {
        std::ifstream in(dir_ / name);
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    std::filesystem::file_time_type mtime() const { return std::filesystem::last_write_time(dir_ / "api.conf"); }

    std::filesystem::path dir_;
    registry::ManualClock clock_;
    registry::Registry reg_{clock_};
};

TEST_F(NginxUpstreamFilesTest, WritesOneFilePerServiceAndOnlyOnChange) {
    NginxUpstreamFiles files(dir_);
    add("a", "10.0.0.1", 80);
    EXPECT_TRUE(files.update(reg_, {"api"}, clock_.mono_ms()));
    EXPECT_NE(content("api.conf").find("server 10.0.0.1:80 weight=100;"), std::string::npos);
    // Same instances (a renewal, another service's change): nothing written, no reload.
    add("a", "10.0.0.1", 80);
    EXPECT_FALSE(files.update(reg_, {"api"}, clock_.mono_ms()));
    add("b", "10.0.0.2", 80);
    EXPECT_TRUE(files.update(reg_, {"api"}, clock_.mono_ms()));
    EXPECT_NE(content("api.conf").find("server 10.0.0.2:80"), std::string::npos);
    // Nothing but the file itself in the directory: the temporary was renamed over it.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), std::filesystem::directory_iterator()), 1);
}

TEST_F(NginxUpstreamFilesTest, AnUnchangedFileFromAPreviousRunIsNotRewritten) {
    add("a", "10.0.0.1", 80);
    EXPECT_TRUE(NginxUpstreamFiles(dir_).update_all(reg_, clock_.mono_ms()));
    NginxUpstreamFiles restarted(dir_);
    EXPECT_FALSE(restarted.update_all(reg_, clock_.mono_ms()));
}

TEST_F(NginxUpstreamFilesTest, ADeregisteredLastInstanceLeavesAValidEmptyUpstream) {
    NginxUpstreamFiles files(dir_);
    add("a", "10.0.0.1", 80);
    files.update(reg_, {"api"}, clock_.mono_ms());
    ASSERT_TRUE(reg_.deregister("api", "a"));
    EXPECT_TRUE(files.update(reg_, {"api"}, clock_.mono_ms()));
    EXPECT_NE(content("api.conf").find("server 127.0.0.1:1 down;"), std::string::npos);
    EXPECT_EQ(content("api.conf").find("10.0.0.1"), std::string::npos);
}

TEST_F(NginxUpstreamFilesTest, AForgottenServiceKeepsItsFile) {
    NginxUpstreamFiles files(dir_);
    EXPECT_FALSE(files.update(reg_, {"never-heard-of"}, clock_.mono_ms()));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "never-heard-of.conf"));
}

TEST_F(NginxUpstreamFilesTest, AFailedWriteIsRetriedAtTheNextUpdate) {
    NginxUpstreamFiles files(dir_);
    add("a", "10.0.0.1", 80);
    // A directory where the file should go: the rename fails.
    std::filesystem::create_directories(dir_ / "api.conf" / "blocker");
    EXPECT_FALSE(files.update(reg_, {"api"}, clock_.mono_ms()));
    std::filesystem::remove_all(dir_ / "api.conf");
    EXPECT_TRUE(files.update(reg_, {}, clock_.mono_ms()));  // nothing new changed: the retry alone
    EXPECT_NE(content("api.conf").find("10.0.0.1:80"), std::string::npos);
}

}  // namespace
}  // namespace dnsd
