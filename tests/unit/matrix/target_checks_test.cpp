// What validate checks beyond the schema: a target is reachable on ${port}, its programs and cwd
// exist on this machine, and the file names made of its cell ids fit the file system.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "matrix/file_name_limits.hpp"
#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::problems_of;
using benchctl::testing::problems_of_file;

namespace {

namespace fs = std::filesystem;

std::string host_problems(const std::string& text, const std::string& file = "m.yaml") {
    return problems_of_file(text, file, {{}, {}, HostChecks::yes});
}

// A fresh directory holding an executable `server` and a plain file `notes`, removed after.
struct TargetDirectory {
    fs::path path;
    TargetDirectory() {
        path = fs::temp_directory_path() / ("benchctl-host-" + std::to_string(getpid()));
        fs::create_directories(path / "bin");
        std::ofstream(path / "bin" / "server") << "#!/bin/sh\n";
        fs::permissions(path / "bin" / "server", fs::perms::owner_all);
        std::ofstream(path / "notes") << "text\n";
    }
    ~TargetDirectory() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("a target that never uses ${port} is an error where the load is sent to ${port}") {
    CHECK(problems_of(R"(name: t
axes: {mode: [a]}
target: {command: [server, --port, "8080"]}
)") == "m.yaml:3:19: error: the target never uses ${port}, the port its load is sent to; pass "
       "it to the server, e.g. [server, --port, \"${port}\"] or env: {PORT: \"${port}\"}; for a "
       "server on a fixed port, set load.url to its address and ready: {log: <regex>}\n");
}

TEST_CASE("a target on a fixed port needs a fixed load URL and a log readiness probe") {
    std::string fixed = R"(name: t
axes: {mode: [a]}
target: {command: [server, --port, "8080"]}
load: {url: "http://127.0.0.1:8080/"}
)";
    CHECK(problems_of(fixed) ==
          "m.yaml:3:19: error: the target never uses ${port}, the port its readiness probe "
          "connects to; the tcp and http probes connect to 127.0.0.1:${port}; for a server on a "
          "fixed port, use ready: {log: <regex>}\n");
    CHECK(problems_of(R"(name: t
axes: {mode: [a]}
target: {command: [server, --port, "8080"], ready: {log: listening}}
load: {url: "http://127.0.0.1:8080/"}
)") == "");
}

TEST_CASE("${port} counts in the command, the shell line or the env, not as a literal $${port}") {
    auto with_target = [](const std::string& target) {
        return problems_of("name: t\naxes: {mode: [a]}\ntarget: " + target + "\n");
    };
    CHECK(with_target(R"({command: [server], env: {PORT: "${port}"}})") == "");
    CHECK(with_target(R"({shell: "exec server --port ${port}"})") == "");
    CHECK(with_target(R"({command: [server, "$${port}"]})").find("never uses ${port}") !=
          std::string::npos);
}

TEST_CASE("a field holding ${port} counts once substituted into the command") {
    CHECK(problems_of(R"(name: t
axes:
  server: [{name: a, bind: "127.0.0.1:${port}"}]
target: {command: [server, "${server.bind}"]}
)") == "");
}

TEST_CASE("a service that never uses its ${port} while its probe connects there is an error") {
    CHECK(problems_of(R"(name: t
services:
  redis: {command: [redis-server], ready: {tcp: true}}
  cache: {command: [cache], ready: {log: ready}}
axes: {mode: [a]}
target: {command: [server, "${port}"]}
)") == "m.yaml:3:20: error: service 'redis' never uses ${port}, the port its readiness probe "
       "connects to; pass it to the service, e.g. [redis-server, --port, \"${port}\"]; for a "
       "service on a fixed port, use ready: {log: <regex>}\n");
}

TEST_CASE("with host checks, a program that is not on the PATH is an error at its line") {
    CHECK(host_problems(R"(name: t
axes: {mode: [a]}
target: {command: [benchctl-no-such-program, "${port}"], version: [/no/such/version]}
)") == "m.yaml:3:20: error: program 'benchctl-no-such-program' is not on the PATH; install it, "
       "give its path, or add its directory to PATH; validate checks this machine as it is now, "
       "so install or build the program before validating\n"
       "m.yaml:3:68: error: program '/no/such/version' does not exist; correct the path, or "
       "install it; validate checks this machine as it is now, so install or build the program "
       "before validating\n");
    CHECK(host_problems(R"(name: t
axes: {mode: [a]}
target: {command: [sh, -c, "exec server ${port}"]}
)") == "");
}

TEST_CASE("with host checks, relative programs start at the target's cwd") {
    TargetDirectory dir;
    std::string file = (dir.path / "m.yaml").string();
    CHECK(host_problems(R"(name: t
axes: {mode: [a]}
target: {command: [bin/server, "${port}"]}
)",
                        file) == "");
    CHECK(host_problems(R"(name: t
axes: {mode: [a]}
target: {command: [./server, "${port}"], cwd: bin}
)",
                        file) == "");
    CHECK(host_problems(R"(name: t
axes: {mode: [a]}
target: {command: [./notes, "${port}"]}
)",
                        file)
              .find("error: program './notes' is not an executable file") != std::string::npos);
    CHECK(host_problems(R"(name: t
axes: {mode: [a]}
target: {command: [server, "${port}"], cwd: nowhere}
)",
                        file)
              .find("m.yaml:3:45: error: cwd 'nowhere' is not a directory") != std::string::npos);
}

TEST_CASE("with host checks, the target's own PATH is searched, and run-time values are not") {
    TargetDirectory dir;
    std::string bin = (dir.path / "bin").string();
    CHECK(host_problems("name: t\naxes: {mode: [a]}\ntarget: {command: [server, \"${port}\"], "
                        "env: {PATH: \"" +
                        bin + "\"}}\n") == "");
    CHECK(host_problems(R"(name: t
axes: {mode: [a]}
target: {command: ["${run_dir}/server", "${port}"]}
)") == "");
}

TEST_CASE("without host checks, programs are not looked up") {
    CHECK(problems_of(R"(name: t
axes: {mode: [a]}
target: {command: [benchctl-no-such-program, "${port}"]}
)") == "");
}

TEST_CASE("a value name that makes a cell's file names too long is an error at the value") {
    std::string name(250, 'x');
    CHECK(problems_of("name: t\naxes:\n  server: [a, " + name +
                      "]\ntarget: {command: [s, \"${port}\"]}\n") ==
          "m.yaml:3:15: error: value name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (250 bytes) makes "
          "cell id 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' 250 bytes long, more than the 243 its "
          "file names leave for it; benchctl writes cells/<id>.json and logs/<id>.version.log, "
          "and a file name holds at most 255 bytes; shorten the name and put long text in "
          "label:\n");
}

TEST_CASE("the longest cell id leaves room for every file benchctl names after it") {
    CHECK(longest_cell_id(1) == 255 - std::string(".version.log").size());
    CHECK(longest_cell_id(3) == 255 - std::string(".rep3.json.999").size());
    CHECK(longest_cell_id(12) == 255 - std::string(".rep12.json.999").size());
    std::string text = "name: t\naxes:\n  a: [" + std::string(120, 'a') + "]\n  b: [" +
                       std::string(120, 'b') + "]\ntarget: {command: [s, \"${port}\"]}\n";
    CHECK(problems_of(text) == "");  // 241 bytes
    CHECK(problems_of(text + "repeat: 2\n") == "");
    CHECK(problems_of(text + "repeat: 10\n").find("more than the 240") != std::string::npos);
}

TEST_CASE("service and matrix names too long for their file names are errors") {
    std::string problems =
        problems_of("name: " + std::string(240, 'n') + "\nservices:\n  " + std::string(250, 's') +
                    ": {command: [x, \"${port}\"]}\naxes: {mode: [a]}\n"
                    "target: {command: [s, \"${port}\"]}\n");
    CHECK(problems.find("m.yaml:1:7: error: name 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...' (240 bytes) "
                        "is too long for the run directory; results/<UTC time>-<name>/ must fit "
                        "in 255 bytes; use at most 238") != std::string::npos);
    CHECK(problems.find("m.yaml:3:3: error: service name 'ssssssssssssssssssssssssssssssss...' "
                        "(250 bytes) is too long for its log file") != std::string::npos);
}
