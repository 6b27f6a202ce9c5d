#include "launch/tree_membership.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>
#include <set>

using benchctl::find_tree_members;
using benchctl::ProcEntry;
using benchctl::TreeIdentity;

namespace {

constexpr pid_t k_benchctl = 100;
constexpr pid_t k_root = 200;
constexpr std::uint64_t k_root_start = 5000;
constexpr pid_t k_supervisor = 199;

ProcEntry process(pid_t pid, pid_t ppid, pid_t pgid, std::uint64_t start, char state = 'S') {
    ProcEntry entry;
    entry.pid = pid;
    entry.ppid = ppid;
    entry.pgid = pgid;
    entry.sid = 1;
    entry.start_ticks = start;
    entry.state = state;
    return entry;
}

TreeIdentity identity(std::set<pid_t> tagged = {}) {
    TreeIdentity tree;
    tree.root = k_root;
    tree.root_start_ticks = k_root_start;
    tree.since_ticks = k_root_start;
    tree.known[k_root] = k_root_start;
    tree.has_tag = [tagged](pid_t pid) { return tagged.count(pid) > 0; };
    return tree;
}

std::set<pid_t> pids(const std::vector<ProcEntry>& entries) {
    std::set<pid_t> result;
    for (const ProcEntry& entry : entries)
        result.insert(entry.pid);
    return result;
}

}  // namespace

TEST_CASE("members are the root, its group and its descendants", "[launch]") {
    std::vector<ProcEntry> table = {
        process(1, 0, 1, 0),
        process(k_benchctl, 1, k_benchctl, 10),
        process(k_root, k_benchctl, k_root, k_root_start),
        process(201, k_root, k_root, 5001),   // worker in the group
        process(202, 201, 202, 5002),         // left the group, still a descendant
        process(203, 202, 203, 5003, 'Z'),    // zombie grandchild: still needs reaping
        process(300, k_benchctl, 300, 5004),  // another tree of benchctl
        process(301, 1, 301, 6000),           // an unrelated later process
    };
    CHECK(pids(find_tree_members(table, identity())) == std::set<pid_t>{k_root, 201, 202, 203});
}

TEST_CASE("an orphan outside the group is found by its tag, with its children", "[launch]") {
    std::vector<ProcEntry> table = {
        process(k_benchctl, 1, k_benchctl, 10),
        process(k_root, k_benchctl, k_root, k_root_start),
        process(210, k_benchctl, 210, 5010),  // daemonised, re-parented to the subreaper
        process(211, 210, 210, 5011),
        process(300, k_benchctl, 300, 5004),  // another tree: no tag
    };
    CHECK(pids(find_tree_members(table, identity({210}))) == std::set<pid_t>{k_root, 210, 211});
}

TEST_CASE("a process seen before stays a member after its parent died", "[launch]") {
    TreeIdentity tree = identity();
    tree.known[220] = 5020;
    std::vector<ProcEntry> table = {
        process(k_root, k_benchctl, k_root, k_root_start),
        process(220, 1, 220, 5020),
    };
    CHECK(pids(find_tree_members(table, tree)) == std::set<pid_t>{k_root, 220});
}

TEST_CASE("a reused pid is not taken for a member", "[launch]") {
    TreeIdentity tree = identity({150});
    tree.known[220] = 5020;
    std::vector<ProcEntry> table = {
        process(k_root, k_benchctl, k_root, 9000),  // the root's pid, now another process
        process(201, k_root, k_root, 9001),         // and that process's child
        process(220, 1, 220, 7777),                 // a known pid, reused
        process(150, 1, 150, 40),                   // older than the root: cannot be its child
    };
    CHECK(find_tree_members(table, tree).empty());
}

TEST_CASE("the tag is asked only about processes not found otherwise", "[launch]") {
    std::vector<pid_t> asked;
    TreeIdentity tree = identity();
    tree.has_tag = [&](pid_t pid) {
        asked.push_back(pid);
        return false;
    };
    std::vector<ProcEntry> table = {
        process(k_root, k_benchctl, k_root, k_root_start),
        process(201, k_root, k_root, 5001),
        process(205, 1, 205, 5005, 'Z'),
        process(300, k_benchctl, 300, 5004),
    };
    find_tree_members(table, tree);
    CHECK(asked == std::vector<pid_t>{300});
}

TEST_CASE("every child of the supervisor is a member, however it left the group", "[launch]") {
    TreeIdentity tree = identity();
    tree.parents = {k_supervisor};
    tree.excluded = {k_supervisor};
    std::vector<ProcEntry> table = {
        process(k_benchctl, 1, k_benchctl, 10),
        process(k_supervisor, k_benchctl, k_supervisor, k_root_start),
        process(k_root, k_supervisor, k_root, k_root_start),
        // setsid, double fork, execve with an empty environment: no group, no tag, no parent
        // link to the root; only the supervisor, a subreaper, took it in.
        process(230, k_supervisor, 230, 5030), process(231, 230, 230, 5031),
        process(300, k_benchctl, 300, 5004),  // another tree's supervisor
    };
    CHECK(pids(find_tree_members(table, tree)) == std::set<pid_t>{k_root, 230, 231});
}

TEST_CASE("orphans re-parented to benchctl are members of the tree that adopts them", "[launch]") {
    TreeIdentity tree = identity();
    tree.parents = {k_supervisor, k_benchctl};
    tree.excluded = {k_supervisor, 300};
    std::vector<ProcEntry> table = {
        process(k_benchctl, 1, k_benchctl, 10),
        process(k_root, k_supervisor, k_root, k_root_start),
        process(240, k_benchctl, 240, 5040),  // its supervisor died: benchctl took it in
        process(241, 240, 241, 5041),
        process(300, k_benchctl, 300, 5004),  // another live tree's supervisor: never a member
        process(301, 300, 301, 5005),         // and that tree's root
    };
    CHECK(pids(find_tree_members(table, tree)) == std::set<pid_t>{k_root, 240, 241});
}

TEST_CASE("a root that ended before its start time was read is never matched by pid", "[launch]") {
    TreeIdentity tree = identity();
    tree.root_start_ticks = std::numeric_limits<std::uint64_t>::max();
    tree.known.clear();
    std::vector<ProcEntry> table = {
        process(k_root, 1, 400, 5100),  // the root's pid, given to a stranger
        process(401, 1, k_root, 5101),  // in a group of that id: the stranger's
    };
    CHECK(find_tree_members(table, tree).empty());
}
