#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "launch/proc_table.hpp"

namespace benchctl {

// What identifies one process tree in a snapshot of /proc.
struct TreeIdentity {
    pid_t root = 0;  // also the process group id the root created
    std::uint64_t root_start_ticks = 0;
    // Processes seen in the tree before, pid -> start_ticks: they stay members after their parent
    // died, even when nothing else links them to the tree any more.
    std::map<pid_t, std::uint64_t> known;
    // Whether a process carries the tree's environment tag (environ_contains in production).
    std::function<bool(pid_t)> has_tag;
};

// The entries of `table` that belong to the tree: the root, its process group, processes that
// carry the tag or are `known`, and every descendant of those through parent links. Only
// processes started no earlier than the root are considered, and the process group only while
// no other process holds the root's pid, so a reused pid never matches.
// Zombies are included (they still need reaping); the caller filters them when it wants the
// living. `has_tag` is asked only about processes not found otherwise.
std::vector<ProcEntry> find_tree_members(const std::vector<ProcEntry>& table,
                                         const TreeIdentity& tree);

}  // namespace benchctl
