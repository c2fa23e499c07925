// dnsctl end to end: the real dnsctl binary (DNSCTL_BINARY) against a real dnsd, as an
// operator or a sidecar uses it. Every dnsctl run is bounded and reaped by the test.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <thread>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// One dnsctl process with its stdout and stderr in files of its own. Killed and reaped at the
// latest by the destructor.
class CtlProcess {
public:
    explicit CtlProcess(const std::vector<std::string>& args) {
        out_file_ = dir_.path() / "stdout";
        err_file_ = dir_.path() / "stderr";
        std::vector<std::string> storage{DNSCTL_BINARY};
        storage.insert(storage.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& arg : storage) argv.push_back(arg.data());
        argv.push_back(nullptr);
        const int out_fd = ::open(out_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int err_fd = ::open(err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(127);
            ::dup2(out_fd, STDOUT_FILENO);
            ::dup2(err_fd, STDERR_FILENO);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out_fd);
        ::close(err_fd);
    }
    ~CtlProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            (void)wait_for_exit(5s);
        }
    }
    CtlProcess(const CtlProcess&) = delete;
    CtlProcess& operator=(const CtlProcess&) = delete;

    void send(int signal_number) const {
        if (pid_ > 0) ::kill(pid_, signal_number);
    }
    // Waits (bounded) for the exit; SIGKILL and timed_out when it did not come.
    ExitStatus wait_for_exit(std::chrono::milliseconds bound) {
        ExitStatus status;
        if (pid_ <= 0) return status;
        const auto deadline = std::chrono::steady_clock::now() + bound;
        while (true) {
            int raw = 0;
            const pid_t done = ::waitpid(pid_, &raw, WNOHANG);
            if (done == pid_) {
                pid_ = -1;
                status.exited = WIFEXITED(raw);
                status.code = status.exited ? WEXITSTATUS(raw) : -1;
                status.signal = WIFSIGNALED(raw) ? WTERMSIG(raw) : 0;
                return status;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &raw, 0);
                pid_ = -1;
                status.timed_out = true;
                return status;
            }
            std::this_thread::sleep_for(10ms);
        }
    }
    std::string out() const { return read_file(out_file_); }
    std::string err() const { return read_file(err_file_); }

private:
    TempDir dir_;
    std::filesystem::path out_file_;
    std::filesystem::path err_file_;
    pid_t pid_ = -1;
};

struct CtlResult {
    ExitStatus status;
    std::string out;
    std::string err;
    std::string text() const { return status.describe() + "\nstdout:\n" + out + "stderr:\n" + err; }
};

CtlResult run_ctl(const std::vector<std::string>& args, std::chrono::milliseconds bound = 20s) {
    CtlProcess process(args);
    CtlResult result;
    result.status = process.wait_for_exit(bound);
    result.out = process.out();
    result.err = process.err();
    return result;
}

std::string ctl_server(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

std::vector<std::string> ctl_srv_rdata(std::uint16_t dns_port, const std::string& name) {
    const DnsReply reply = dns_query(dns_port, name, LDNS_RR_TYPE_SRV);
    return rdata_texts(reply.answer(LDNS_RR_TYPE_SRV));
}

// A port nothing listens on: connections to it are refused.
std::uint16_t ctl_dead_port() { return pick_free_port(); }

class DnsctlTest : public DnsdTest {
protected:
    std::string http() const { return ctl_server(http_port()); }
    std::string dns() const { return ctl_server(dns_port()); }
    void register_instance(const std::string& service, const std::string& id, const std::string& address,
                           int port, int priority = 0, int weight = 100) {
        const auto answer = heartbeat(dnsd(), R"({"service":")" + service + R"(","id":")" + id +
                                                  R"(","address":")" + address + R"(","port":)" +
                                                  std::to_string(port) + R"(,"priority":)" +
                                                  std::to_string(priority) + R"(,"weight":)" +
                                                  std::to_string(weight) + R"(,"ttl":60})");
        ASSERT_EQ(answer.status, 200u) << answer.body;
    }
};

TEST_F(DnsctlTest, HeartbeatOnceRegistersForHttpAndDns) {
    const auto result = run_ctl({"heartbeat", "--once", "--service", "api", "--port", "8861", "--address",
                                 "127.0.0.5", "--id", "api-1", "--version", "1.2.3", "--meta", "zone=a",
                                 "--server", http()});
    ASSERT_TRUE(result.status.exited && result.status.code == 0) << result.text();
    EXPECT_EQ(result.out, "api-1\n");
    const auto instance = find_instance(dnsd(), "api", "api-1");
    ASSERT_FALSE(instance.is_null());
    EXPECT_EQ(instance.at("address").as_string(), "127.0.0.5");
    EXPECT_EQ(instance.at("version").as_string(), "1.2.3");
    EXPECT_EQ(number(instance.at("ttl")), 15.0) << "dnsctl's default ttl";
    EXPECT_THAT(ctl_srv_rdata(dns_port(), "api.svc"), ::testing::ElementsAre("0 100 8861 api-1.api.svc."));
}

TEST_F(DnsctlTest, HeartbeatLoopRenewsPastTheTtlAndDeregistersOnSigterm) {
    CtlProcess sidecar({"heartbeat", "--service", "api", "--port", "8861", "--address", "127.0.0.5", "--id",
                        "api-1", "--ttl", "2", "--every", "0.5", "--server", http()});
    ASSERT_TRUE(eventually([&] { return !find_instance(dnsd(), "api", "api-1").is_null(); }, 5s))
        << sidecar.err();
    std::this_thread::sleep_for(3s);  // longer than the 2 s lease: only renewals keep it
    EXPECT_FALSE(find_instance(dnsd(), "api", "api-1").is_null()) << sidecar.err();
    EXPECT_THAT(ctl_srv_rdata(dns_port(), "api.svc"), ::testing::ElementsAre("0 100 8861 api-1.api.svc."));

    sidecar.send(SIGTERM);
    const ExitStatus status = sidecar.wait_for_exit(5s);
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe() << "\n" << sidecar.err();
    const DnsReply reply = dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_SRV);
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR) << "a known service without instances is NODATA";
    EXPECT_TRUE(reply.answer(LDNS_RR_TYPE_SRV).empty()) << "gone from DNS at once, not at the lease's end";
    EXPECT_THAT(sidecar.err(), HasSubstr("deregistered api/api-1"));
}

TEST_F(DnsctlTest, HeartbeatLoopRegistersAgainWhenTheNodeForgotIt) {
    CtlProcess sidecar({"heartbeat", "--service", "api", "--port", "8861", "--address", "127.0.0.5", "--id",
                        "api-1", "--ttl", "10", "--every", "0.3", "--server", http()});
    ASSERT_TRUE(eventually([&] { return !find_instance(dnsd(), "api", "api-1").is_null(); }, 5s))
        << sidecar.err();
    ASSERT_EQ(http_delete(http_port(), "/v1/instances/api/api-1").status, 200u);
    EXPECT_TRUE(eventually([&] { return !find_instance(dnsd(), "api", "api-1").is_null(); }, 5s))
        << sidecar.err();
    EXPECT_TRUE(eventually([&] { return sidecar.err().find("registered it again") != std::string::npos; }, 3s))
        << sidecar.err();
    sidecar.send(SIGINT);
    EXPECT_EQ(sidecar.wait_for_exit(5s).code, 0);
}

TEST_F(DnsctlTest, HeartbeatFailsOverToTheNextServer) {
    const std::string dead = ctl_server(ctl_dead_port());
    const auto result = run_ctl({"heartbeat", "--once", "--service", "api", "--port", "8861", "--address",
                                 "127.0.0.5", "--server", dead, "--server", http()});
    ASSERT_TRUE(result.status.exited && result.status.code == 0) << result.text();
    EXPECT_EQ(result.out, "127-0-0-5-8861\n") << "the id dnsd derived";
    EXPECT_THAT(result.err, HasSubstr("cannot reach " + dead));
    EXPECT_FALSE(find_instance(dnsd(), "api", "127-0-0-5-8861").is_null());
}

TEST(DnsctlAuth, HeartbeatSendsTheTokenFromTokenFile) {
    TempDir dir;
    write_file(dir.path() / "token", "s3cret\n");
    DnsdOptions options;
    options.auth_token_file = dir.path() / "token";
    DnsdProcess secured(options);
    ASSERT_TRUE(secured.started()) << secured.start_failure();
    const std::vector<std::string> base = {"heartbeat", "--once", "--service", "api", "--port", "1",
                                           "--address", "127.0.0.5", "--server", ctl_server(secured.http_port())};
    const auto refused = run_ctl(base);
    EXPECT_TRUE(refused.status.exited && refused.status.code == 1) << refused.text();
    EXPECT_THAT(refused.err, HasSubstr("401"));
    auto with_token = base;
    with_token.insert(with_token.end(), {"--token-file", (dir.path() / "token").string()});
    const auto accepted = run_ctl(with_token);
    EXPECT_TRUE(accepted.status.exited && accepted.status.code == 0) << accepted.text();
}

TEST_F(DnsctlTest, ListPrintsTables) {
    register_instance("api", "api-1", "10.0.0.3", 8861);
    register_instance("web", "web-1", "10.0.0.4", 80);
    const auto services = run_ctl({"list", "--server", http()});
    ASSERT_EQ(services.status.code, 0) << services.text();
    EXPECT_TRUE(std::regex_search(services.out, std::regex("^SERVICE +INSTANCES +INDEX\n")));
    EXPECT_TRUE(std::regex_search(services.out, std::regex("\napi +1 +[0-9]+\n"))) << services.out;
    EXPECT_TRUE(std::regex_search(services.out, std::regex("\nweb +1 +[0-9]+\n"))) << services.out;

    const auto instances = run_ctl({"list", "api", "--server", http()});
    ASSERT_EQ(instances.status.code, 0) << instances.text();
    EXPECT_THAT(instances.out, HasSubstr("ID"));
    EXPECT_TRUE(std::regex_search(instances.out, std::regex("\napi-1 +10\\.0\\.0\\.3 +8861 +100 +0 +- +[0-9]+ +e2e-node")))
        << instances.out;

    const auto raw = run_ctl({"list", "api", "--json", "--server", http()});
    ASSERT_EQ(raw.status.code, 0) << raw.text();
    EXPECT_EQ(boost::json::parse(raw.out).at("service").as_string(), "api");

    const auto missing = run_ctl({"list", "nosuch", "--server", http()});
    EXPECT_EQ(missing.status.code, 1) << missing.text();
    EXPECT_THAT(missing.err, HasSubstr("there is no service 'nosuch'"));
}

TEST_F(DnsctlTest, LookupPrintsTargetsAndPicksFromTheLowestPriority) {
    register_instance("api", "a1", "127.0.0.11", 1001, 0, 10);
    register_instance("api", "a2", "127.0.0.12", 1002, 0, 20);
    register_instance("api", "b1", "127.0.0.13", 1003, 5, 1000);
    const auto table = run_ctl({"lookup", "api", "--dns-server", dns()});
    ASSERT_EQ(table.status.code, 0) << table.text();
    EXPECT_THAT(table.out, HasSubstr("PRIORITY"));
    EXPECT_TRUE(std::regex_search(table.out, std::regex("\n0 +20 +1002 +a2\\.api\\.svc +127\\.0\\.0\\.12\n"))) << table.out;
    EXPECT_TRUE(std::regex_search(table.out, std::regex("\n0 +10 +1001 +a1\\.api\\.svc +127\\.0\\.0\\.11\n"))) << table.out;
    EXPECT_TRUE(std::regex_search(table.out, std::regex("\n5 +1000 +1003 +b1\\.api\\.svc +127\\.0\\.0\\.13\n"))) << table.out;

    std::set<std::string> picked;
    for (int i = 0; i < 12; ++i) {
        const auto pick = run_ctl({"lookup", "api", "--pick", "--dns-server", dns()});
        ASSERT_EQ(pick.status.code, 0) << pick.text();
        picked.insert(pick.out);
    }
    for (const auto& out : picked)
        EXPECT_TRUE(out == "127.0.0.11:1001\n" || out == "127.0.0.12:1002\n") << "picked " << out;
}

TEST_F(DnsctlTest, LookupExplainsNxdomainAndNodata) {
    const auto nx = run_ctl({"lookup", "nosuch", "--dns-server", dns()});
    EXPECT_EQ(nx.status.code, 1) << nx.text();
    EXPECT_THAT(nx.err, HasSubstr("NXDOMAIN"));

    register_instance("api", "a1", "127.0.0.11", 1001);
    ASSERT_EQ(http_delete(http_port(), "/v1/instances/api/a1").status, 200u);
    const auto nodata = run_ctl({"lookup", "api", "--dns-server", dns()});
    EXPECT_EQ(nodata.status.code, 1) << nodata.text();
    EXPECT_THAT(nodata.err, HasSubstr("no live instance"));

    const auto silent = run_ctl({"lookup", "api", "--timeout", "0.6", "--dns-server", ctl_server(ctl_dead_port())});
    EXPECT_EQ(silent.status.code, 1) << silent.text();
    EXPECT_TRUE(std::regex_search(silent.err, std::regex("cannot reach|no answer"))) << silent.err;
}

TEST_F(DnsctlTest, WatchPrintsAdditionsAndRemovals) {
    CtlProcess watch({"watch", "api", "--wait", "2", "--server", http()});
    std::this_thread::sleep_for(300ms);  // the service does not exist yet: watch waits for it
    register_instance("api", "api-1", "10.0.0.3", 8861);
    const std::regex added("(^|\n)[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z api added api-1 10\\.0\\.0\\.3:8861");
    EXPECT_TRUE(eventually([&] { return std::regex_search(watch.out(), added); }, 5s)) << watch.out() << watch.err();
    ASSERT_EQ(http_delete(http_port(), "/v1/instances/api/api-1").status, 200u);
    EXPECT_TRUE(eventually([&] { return watch.out().find(" api removed api-1 ") != std::string::npos; }, 5s))
        << watch.out() << watch.err();
    watch.send(SIGTERM);
    const ExitStatus status = watch.wait_for_exit(5s);
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe() << "\n" << watch.err();
}

TEST_F(DnsctlTest, DeregisterUnknownInstanceShowsTheServersError) {
    const auto result = run_ctl({"deregister", "--service", "nosuch", "--id", "x", "--server", http()});
    EXPECT_TRUE(result.status.exited && result.status.code == 1) << result.text();
    EXPECT_THAT(result.err, HasSubstr("no live instance 'x' of service 'nosuch'"));
    EXPECT_THAT(result.err, HasSubstr("404"));
}

TEST(DnsctlErrors, UnreachableServerExitsOneWithTheReason) {
    const std::string dead = ctl_server(ctl_dead_port());
    const auto result = run_ctl({"list", "--server", dead});
    EXPECT_TRUE(result.status.exited && result.status.code == 1) << result.text();
    EXPECT_THAT(result.err, HasSubstr("cannot reach " + dead + ": connection refused"));
}

TEST(DnsctlErrors, BadUsageExitsTwoWithAHint) {
    const auto flag = run_ctl({"list", "--bogus"});
    EXPECT_TRUE(flag.status.exited && flag.status.code == 2) << flag.text();
    EXPECT_THAT(flag.err, HasSubstr("bogus"));
    EXPECT_THAT(flag.err, HasSubstr("dnsctl list --help"));
    EXPECT_EQ(run_ctl({"heartbeat", "--service", "api"}).status.code, 2);
    EXPECT_EQ(run_ctl({}).status.code, 2);
    const auto help = run_ctl({"--help"});
    EXPECT_EQ(help.status.code, 0);
    EXPECT_THAT(help.out, HasSubstr("watch"));
    const auto version = run_ctl({"--version"});
    EXPECT_EQ(version.status.code, 0);
    EXPECT_THAT(version.out, HasSubstr("dnsctl "));
    EXPECT_THAT(version.err, Not(HasSubstr("error")));
}

}  // namespace
}  // namespace dnsd::e2e
