#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "launch/proc_table.hpp"

namespace benchctl {

// What identifies one process tree in a snapshot of /proc.
struct TreeIdentity {
    pid_t root = 0;  // also the process group id the root created
    // The root's start time; a process holding the root's pid with another start time is a
    // stranger that got the pid again. Unknown (the root ended before it could be read): 0.
    std::uint64_t root_start_ticks = 0;
    // Only processes started at or after this are considered (the tree's supervisor's start).
    std::uint64_t since_ticks = 0;
    // Processes whose children are members although they are not: the tree's supervisor (a
    // subreaper, so every orphan of the tree becomes its child) and, for the newest tree,
    // benchctl itself (orphans of a tree whose supervisor died are re-parented to it).
    std::set<pid_t> parents;
    // Never members, even as children of `parents`: the supervisors of every tree.
    std::set<pid_t> excluded;
    // Processes seen in the tree before, pid -> start_ticks: they stay members after their parent
    // died, even when nothing else links them to the tree any more.
    std::map<pid_t, std::uint64_t> known;
    // Whether a process carries the tree's environment tag (environ_contains in production).
    std::function<bool(pid_t)> has_tag;
};

// The entries of `table` that belong to the tree: the root, its process group, the children of
// `parents`, processes that carry the tag or are `known`, and every descendant of those through
// parent links, `excluded` ones left out. Only processes started no earlier than `since_ticks`
// are considered, and the process group only while no other process holds the root's pid, so a
// reused pid never matches.
// Zombies are included (they still need reaping); the caller filters them when it wants the
// living. `has_tag` is asked only about processes not found otherwise.
std::vector<ProcEntry> find_tree_members(const std::vector<ProcEntry>& table,
                                         const TreeIdentity& tree);

}  // namespace benchctl
