// --threads defaults to the CPUs dnsd may run on (its affinity mask), not to the machine's
// cores: benchmarks pin servers with `taskset -c 0`, and two workers on one core only take turns.
// The mask is set on this test process around the start of dnsd, which inherits it as it would
// from taskset.
#include <dirent.h>
#include <sched.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

// Runs `start` with this thread's CPU mask narrowed to `cpus`, then restores the mask.
template <typename Start>
auto started_on_cpus(const std::vector<int>& cpus, Start start) {
    cpu_set_t saved;
    CPU_ZERO(&saved);
    EXPECT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
    cpu_set_t narrow;
    CPU_ZERO(&narrow);
    for (int cpu : cpus) CPU_SET(cpu, &narrow);
    EXPECT_EQ(sched_setaffinity(0, sizeof narrow, &narrow), 0);
    auto result = start();
    EXPECT_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
    return result;
}

std::vector<int> threads_test_allowed_cpus() {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof mask, &mask) != 0) return cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &mask)) cpus.push_back(cpu);
    return cpus;
}

std::string threads_test_read(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The pid of our child dnsd listening on `http_port`: its command line names the port.
std::optional<pid_t> threads_test_child_pid(std::uint16_t http_port) {
    // Whole words ("--http", the address, then the separator), so a DNS port that merely
    // starts with the same digits does not match.
    const std::string needle = "--http 127.0.0.1:" + std::to_string(http_port) + " ";
    DIR* proc = opendir("/proc");
    if (!proc) return std::nullopt;
    std::optional<pid_t> found;
    int entries = 0;
    while (const dirent* e = readdir(proc)) {
        if (++entries > 1'000'000) break;
        const std::string name = e->d_name;
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        const std::string stat = threads_test_read("/proc/" + name + "/stat");
        // "pid (comm) state ppid ...": the comm may hold spaces, so read after its last ')'.
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 1));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid != getpid()) continue;
        std::string cmdline = threads_test_read("/proc/" + name + "/cmdline");
        for (char& c : cmdline) if (c == '\0') c = ' ';
        if (cmdline.find(needle) != std::string::npos) {
            found = static_cast<pid_t>(std::stol(name));
            break;
        }
    }
    closedir(proc);
    return found;
}

int threads_test_task_count(pid_t pid) {
    DIR* tasks = opendir(("/proc/" + std::to_string(pid) + "/task").c_str());
    if (!tasks) return -1;
    int count = 0;
    while (const dirent* e = readdir(tasks))
        if (e->d_name[0] != '.' && count < 100'000) ++count;
    closedir(tasks);
    return count;
}

TEST(ThreadsDefault, PinnedToOneCpuStartsOneDnsWorker) {
    const std::vector<int> allowed = threads_test_allowed_cpus();
    ASSERT_FALSE(allowed.empty());
    const std::vector<int> one{allowed.front()};

    DnsdOptions defaults;
    defaults.threads = std::nullopt;
    auto by_default = started_on_cpus(one, [&] { return std::make_unique<DnsdProcess>(defaults); });
    ASSERT_TRUE(by_default->started()) << by_default->start_failure();
    EXPECT_NE(by_default->log().find(", 1 DNS thread(s)"), std::string::npos) << by_default->log();

    // The same pinning with one worker more, asked for: exactly one more thread in the process,
    // so the default really started one worker (and not, say, only logged one).
    DnsdOptions two;
    two.threads = 2;
    auto explicit_two = started_on_cpus(one, [&] { return std::make_unique<DnsdProcess>(two); });
    ASSERT_TRUE(explicit_two->started()) << explicit_two->start_failure();
    EXPECT_NE(explicit_two->log().find(", 2 DNS thread(s)"), std::string::npos) << explicit_two->log();

    const auto default_pid = threads_test_child_pid(by_default->http_port());
    const auto two_pid = threads_test_child_pid(explicit_two->http_port());
    ASSERT_TRUE(default_pid && two_pid) << "cannot find the dnsd children in /proc";
    EXPECT_EQ(threads_test_task_count(*two_pid) - threads_test_task_count(*default_pid), 1);

    // The query path still answers with its single worker.
    ASSERT_EQ(heartbeat(*by_default, R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    const DnsReply srv = dns_query(by_default->dns_port(), "api.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(srv.ok()) << srv.failure();
    EXPECT_EQ(srv.answer(LDNS_RR_TYPE_SRV).size(), 1u) << srv.to_string();

    EXPECT_TRUE(explicit_two->terminate().exited);
    EXPECT_TRUE(by_default->terminate().exited);
}

TEST(ThreadsDefault, FollowsTheWholeMaskWhenSeveralCpusAreAllowed) {
    const std::vector<int> allowed = threads_test_allowed_cpus();
    if (allowed.size() < 2) GTEST_SKIP() << "this machine lets the test run on one CPU only";
    const std::vector<int> two{allowed[0], allowed[1]};
    DnsdOptions defaults;
    defaults.threads = std::nullopt;
    auto dnsd = started_on_cpus(two, [&] { return std::make_unique<DnsdProcess>(defaults); });
    ASSERT_TRUE(dnsd->started()) << dnsd->start_failure();
    EXPECT_NE(dnsd->log().find(", 2 DNS thread(s)"), std::string::npos) << dnsd->log();
    EXPECT_TRUE(dnsd->terminate().exited);
}

}  // namespace
}  // namespace dnsd::e2e
