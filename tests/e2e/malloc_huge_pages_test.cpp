// dnsd execs itself once with glibc's malloc asking for transparent huge pages
// (dnsd/malloc_huge_pages.hpp): its start-up environment shows the tunable, the opt-outs keep it
// out, and the programs dnsd starts get the caller's environment back.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using std::chrono::milliseconds;

// The environment the process image started with (what the last exec gave it).
std::vector<std::string> exec_environment(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    const std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::string> vars;
    for (std::size_t at = 0; at < all.size();) {
        const std::size_t end = all.find('\0', at);
        vars.push_back(all.substr(at, end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return vars;
}

std::optional<std::string> variable(const std::vector<std::string>& vars, const std::string& name) {
    for (const std::string& v : vars)
        if (v.rfind(name + "=", 0) == 0) return v.substr(name.size() + 1);
    return std::nullopt;
}

// Sets (or, with nullopt, unsets) one variable of this test process for its scope: dnsd
// inherits it.
class ScopedEnv {
public:
    ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) old_ = old;
        if (value) setenv(name_.c_str(), value->c_str(), 1);
        else unsetenv(name_.c_str());
    }
    ~ScopedEnv() {
        if (old_) setenv(name_.c_str(), old_->c_str(), 1);
        else unsetenv(name_.c_str());
    }

private:
    std::string name_;
    std::optional<std::string> old_;
};

TEST(MallocHugePages, DnsdRunsWithTheTunableSet) {
    ScopedEnv no_tunables("GLIBC_TUNABLES", std::nullopt);
    ScopedEnv no_opt_out("DNSD_MALLOC_HUGE_PAGES", std::nullopt);
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    const auto vars = exec_environment(dnsd.pid());
    EXPECT_EQ(variable(vars, "GLIBC_TUNABLES"), "glibc.malloc.hugetlb=1");
    EXPECT_EQ(variable(vars, "DNSD_SAVED_GLIBC_TUNABLES"), "-");  // there was none
}

TEST(MallocHugePages, OtherTunablesAreKept) {
    ScopedEnv tunables("GLIBC_TUNABLES", "glibc.malloc.arena_max=2");
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    // Executed again, the caller's value saved for its children. (What /proc shows of
    // GLIBC_TUNABLES itself is what glibc 2.36 left of it after parsing: not the whole string.)
    EXPECT_EQ(variable(exec_environment(dnsd.pid()), "DNSD_SAVED_GLIBC_TUNABLES"), "=glibc.malloc.arena_max=2");
}

TEST(MallocHugePages, TheCallersChoiceWins) {
    {
        ScopedEnv tunables("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0");
        DnsdProcess dnsd;
        ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
        const auto vars = exec_environment(dnsd.pid());
        EXPECT_EQ(variable(vars, "GLIBC_TUNABLES"), "glibc.malloc.hugetlb=0");
        EXPECT_EQ(variable(vars, "DNSD_SAVED_GLIBC_TUNABLES"), std::nullopt);  // not exec'd again
    }
    ScopedEnv no_tunables("GLIBC_TUNABLES", std::nullopt);
    ScopedEnv opt_out("DNSD_MALLOC_HUGE_PAGES", "0");
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    EXPECT_EQ(variable(exec_environment(dnsd.pid()), "GLIBC_TUNABLES"), std::nullopt);
}

// The nginx reload command is a program dnsd starts: it sees the caller's GLIBC_TUNABLES.
TEST(MallocHugePages, ProgramsDnsdStartsGetTheCallersEnvironment) {
    ScopedEnv tunables("GLIBC_TUNABLES", "glibc.malloc.arena_max=2");
    TempDir work;
    const auto dir = work.path() / "upstreams";
    std::filesystem::create_directories(dir);
    const auto env_file = work.path() / "reload-env";
    DnsdOptions options;
    options.extra_args = {"--nginx-upstream-dir", dir.string(), "--nginx-reload-cmd",
                          "env > '" + env_file.string() + ".part' && mv '" + env_file.string() + ".part' '" +
                              env_file.string() + "'"};
    DnsdProcess dnsd(options);
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, R"({"service":"web","id":"one","address":"127.0.0.2","port":80})").status, 200u);
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(env_file); }, milliseconds(5000))) << dnsd.log();
    std::ifstream in(env_file);
    std::vector<std::string> vars;
    for (std::string line; std::getline(in, line);) vars.push_back(line);
    EXPECT_EQ(variable(vars, "GLIBC_TUNABLES"), "glibc.malloc.arena_max=2");
    EXPECT_EQ(variable(vars, "DNSD_SAVED_GLIBC_TUNABLES"), std::nullopt);
}

}  // namespace
}  // namespace dnsd::e2e
