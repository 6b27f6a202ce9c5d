#include "launch/cgroup.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

#include "launch_test_support.hpp"

using benchctl::Cgroup;
using benchctl::own_cgroup_directory;
using benchctl::testing::eventually;

namespace {

// A hybrid host (this project's CI): v1 controllers, and cgroup2 at /sys/fs/cgroup/unified.
constexpr const char* k_hybrid_mountinfo =
    "25 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "31 25 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755\n"
    "32 31 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw\n"
    "33 31 0:28 / /sys/fs/cgroup/pids rw,nosuid shared:11 - cgroup cgroup rw,pids\n";

}  // namespace

TEST_CASE("benchctl's cgroup directory joins the cgroup2 mount and the 0:: path", "[launch]") {
    CHECK(own_cgroup_directory(k_hybrid_mountinfo, "8:pids:/\n0::/\n") == "/sys/fs/cgroup/unified");
    CHECK(own_cgroup_directory(k_hybrid_mountinfo, "1:name=systemd:/x\n0::/user.slice/a.scope\n") ==
          "/sys/fs/cgroup/unified/user.slice/a.scope");
    std::string unified = "29 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
    CHECK(own_cgroup_directory(unified, "0::/ci/job\n") == "/sys/fs/cgroup/ci/job");
}

TEST_CASE("a cgroup mounted from a sub-tree shows only the groups under it", "[launch]") {
    // A container's view: the mount's root is the container's own group.
    std::string mountinfo = "40 30 0:30 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
    CHECK(own_cgroup_directory(mountinfo, "0::/docker/abc\n") == "/sys/fs/cgroup");
    CHECK(own_cgroup_directory(mountinfo, "0::/docker/abc/inner\n") == "/sys/fs/cgroup/inner");
    CHECK_FALSE(own_cgroup_directory(mountinfo, "0::/elsewhere\n"));
    CHECK_FALSE(own_cgroup_directory(mountinfo, "0::/docker/abcdef\n"));
}

TEST_CASE("without a cgroup2 mount or a 0:: line there is no directory", "[launch]") {
    std::string v1_only = "33 31 0:28 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n";
    CHECK_FALSE(own_cgroup_directory(v1_only, "0::/\n"));
    CHECK_FALSE(own_cgroup_directory(k_hybrid_mountinfo, "8:pids:/\n"));
}

TEST_CASE("escaped characters in a mount point are decoded", "[launch]") {
    std::string mountinfo = "50 30 0:31 / /mnt/my\\040cgroups rw - cgroup2 none rw\n";
    CHECK(own_cgroup_directory(mountinfo, "0::/a\n") == "/mnt/my cgroups/a");
}

TEST_CASE("BENCHCTL_NO_CGROUP turns cgroups off", "[launch]") {
    benchctl::testing::ScopedEnv off("BENCHCTL_NO_CGROUP", "1");
    std::string why_not;
    CHECK_FALSE(Cgroup::create(&why_not));
    CHECK(why_not == "BENCHCTL_NO_CGROUP is set");
}

TEST_CASE("a cgroup holds what its members fork, is killed at once and then removed", "[launch]") {
    std::string why_not;
    auto group = Cgroup::create(&why_not);
    if (!group) {
        WARN("no cgroup here: " << why_not);
        return;
    }
    std::string path = group->path();
    CHECK(std::filesystem::is_directory(path));
    pid_t child = fork();
    if (child == 0) {
        if (write(group->procs_fd(), "0", 1) != 1)
            _exit(1);
        // Two grandchildren, one in a session of its own: still in the group.
        execl("/bin/sh", "sh", "-c", "setsid sleep 300 & sleep 300 & wait", nullptr);
        _exit(2);
    }
    REQUIRE(eventually([&] { return group->pids().size() == 3; }));
    CHECK(group->cpu_usage_usec().has_value());
    CHECK(group->kill());
    CHECK(eventually([&] { return group->pids().empty(); }));
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WTERMSIG(status) == SIGKILL);
    // The setsid'd sleep was re-parented to init, or to this process when a test made it a
    // subreaper: then its zombie is reaped here.
    CHECK(eventually([&] {
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        return group->remove();
    }));
    CHECK_FALSE(std::filesystem::exists(path));
}
