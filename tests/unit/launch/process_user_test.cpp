#include "launch/process_user.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "launch/process_tree.hpp"
#include "launch_test_support.hpp"

using benchctl::lookup_process_user;
using benchctl::ProcessTree;
using benchctl::ProcessUser;
using benchctl::user_can_reach;
using benchctl::testing::eventually;
using benchctl::testing::read_text;
using benchctl::testing::ScratchDir;

namespace {

// An account that owns nothing here and is in no group that does.
ProcessUser stranger() {
    return {"stranger", 54321, 54321, {54321}};
}

}  // namespace

TEST_CASE("looks up an account with its groups, and nothing for an unknown name", "[launch]") {
    std::optional<ProcessUser> root = lookup_process_user("root");
    REQUIRE(root);
    CHECK(root->uid == 0);
    CHECK(root->gid == 0);
    CHECK_FALSE(root->groups.empty());
    CHECK_FALSE(lookup_process_user("no-such-user-of-benchctl"));
}

TEST_CASE("a directory is out of another user's reach without search permission for others",
          "[launch]") {
    ScratchDir dir;
    std::filesystem::create_directory(dir.file("data"));
    REQUIRE(chmod(dir.path().c_str(), 0700) == 0);
    CHECK_FALSE(user_can_reach(stranger(), dir.file("data")));
    REQUIRE(chmod(dir.path().c_str(), 0711) == 0);
    CHECK(user_can_reach(stranger(), dir.file("data")));
    CHECK_FALSE(user_can_reach(stranger(), dir.file("missing")));
}

TEST_CASE("group search permission counts for a member of the directory's group", "[launch]") {
    ScratchDir dir;
    REQUIRE(chmod(dir.path().c_str(), 0710) == 0);
    ProcessUser member = stranger();
    member.groups.push_back(getegid());
    CHECK(user_can_reach(member, dir.path()));
    CHECK_FALSE(user_can_reach(stranger(), dir.path()));
}

TEST_CASE("a tree started with a user runs as that user", "[launch]") {
    std::optional<ProcessUser> nobody = lookup_process_user("nobody");
    if (geteuid() != 0 || !nobody) {
        WARN("skipped: switching user needs root and a user nobody");
        return;
    }
    ScratchDir dir;  // 0700 and root's: the log is opened on benchctl's side
    benchctl::LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", "echo $(id -u) $(id -g) $(id -G)"};
    spec.log_path = dir.file("log");
    spec.user = nobody;
    ProcessTree tree = ProcessTree::start(spec);
    REQUIRE(eventually([&] { return tree.poll_exit().has_value(); }));
    CHECK(tree.poll_exit()->code == 0);
    CHECK(read_text(dir.file("log")) ==
          fmt::format("{} {} {}\n", nobody->uid, nobody->gid, nobody->gid));
}
