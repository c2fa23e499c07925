// dnsd names its threads, so that `top -H` or /proc/PID/task/*/comm tell the DNS workers'
// CPU from the control thread's (bench/dns splits dnsd's CPU this way). The control thread
// keeps the program's name, also after the exec that turns on huge pages (which once left it
// "exe").
#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

std::vector<std::string> thread_names_of(pid_t pid) {
    const std::string dir = "/proc/" + std::to_string(pid) + "/task";
    std::vector<std::string> names;
    DIR* tasks = opendir(dir.c_str());
    if (!tasks) return names;
    while (const dirent* e = readdir(tasks)) {
        if (e->d_name[0] == '.' || names.size() > 1000) continue;
        std::ifstream comm(dir + "/" + e->d_name + "/comm");
        std::string name;
        std::getline(comm, name);
        names.push_back(name);
    }
    closedir(tasks);
    std::sort(names.begin(), names.end());
    return names;
}

// The nice value (field 19 of /proc/PID/task/TID/stat) of the thread named `name`; -100 when
// there is none.
int thread_nice_of(pid_t pid, const std::string& name) {
    const std::string dir = "/proc/" + std::to_string(pid) + "/task";
    int nice = -100;
    DIR* tasks = opendir(dir.c_str());
    if (!tasks) return nice;
    while (const dirent* e = readdir(tasks)) {
        if (e->d_name[0] == '.') continue;
        std::ifstream comm(dir + "/" + e->d_name + "/comm");
        std::string comm_name;
        std::getline(comm, comm_name);
        if (comm_name != name) continue;
        std::ifstream stat_file(dir + "/" + e->d_name + "/stat");
        const std::string stat{std::istreambuf_iterator<char>(stat_file), std::istreambuf_iterator<char>()};
        // After "pid (comm) " come fields 3, 4, ...: the nice value is the 17th of them.
        std::istringstream fields(stat.substr(stat.rfind(')') + 2));
        std::string field;
        for (int i = 0; i < 17 && fields >> field; ++i) {
        }
        nice = std::stoi(field);
    }
    closedir(tasks);
    return nice;
}

TEST(ThreadNames, WorkersSnapshotWriterAndControlThreadAreNamedAndTheWriterIsNiced) {
    DnsdOptions options;
    options.threads = 2;
    DnsdProcess dnsd(options);
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    const std::vector<std::string> named{"dnsd", "dnsd-dns0", "dnsd-dns1", "dnsd-snapshot"};
    // cache.json is written in the background: that thread yields to the others, ten nice
    // steps below the process (which inherits this test's own).
    const int own = getpriority(PRIO_PROCESS, 0);
    const int writer_nice = std::min(own + 10, 19);
    // Each thread names (and the writer nices) itself as it starts running, which on a busy
    // machine may come a moment after dnsd answers: wait for it, at most two seconds.
    for (int i = 0; i < 200; ++i) {
        if (thread_names_of(dnsd.pid()) == named && thread_nice_of(dnsd.pid(), "dnsd-snapshot") == writer_nice)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(thread_names_of(dnsd.pid()), named);
    EXPECT_EQ(thread_nice_of(dnsd.pid(), "dnsd-snapshot"), writer_nice);
    EXPECT_EQ(thread_nice_of(dnsd.pid(), "dnsd-dns0"), own);
    EXPECT_TRUE(dnsd.terminate().exited);
}

}  // namespace
}  // namespace dnsd::e2e
