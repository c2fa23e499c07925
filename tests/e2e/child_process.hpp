#pragma once
// Starting a server for a test: a child process whose output goes to a log file, and which
// dies with the test process even when that crashes before its destructors run.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace dnsd::e2e {

// argv[0] is the program's path. Returns the child's pid, or why it could not be started.
std::variant<pid_t, std::string> spawn_logged(const std::vector<std::string>& argv,
                                              const std::filesystem::path& log_file);

}  // namespace dnsd::e2e
