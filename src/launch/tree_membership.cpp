#include "launch/tree_membership.hpp"

#include <unordered_map>

namespace benchctl {

namespace {

// A process the tree points at directly, without following parent links.
bool is_seed(const ProcEntry& entry, const TreeIdentity& tree, bool group_is_ours) {
    if (group_is_ours && (entry.pid == tree.root || entry.pgid == tree.root))
        return true;
    if (tree.parents.count(entry.ppid) > 0)
        return true;
    auto known = tree.known.find(entry.pid);
    if (known != tree.known.end() && known->second == entry.start_ticks)
        return true;
    // A zombie's environment can no longer be read; asking would only cost a failed open.
    return !entry.is_zombie() && tree.has_tag && tree.has_tag(entry.pid);
}

}  // namespace

std::vector<ProcEntry> find_tree_members(const std::vector<ProcEntry>& table,
                                         const TreeIdentity& tree) {
    std::vector<const ProcEntry*> candidates;
    std::unordered_multimap<pid_t, const ProcEntry*> children;
    // Linux hands out a pid again only once no process group uses it as its id, so when another
    // process holds the root's pid, a group of that id is that process's, not the tree's.
    bool group_is_ours = true;
    for (const ProcEntry& entry : table) {
        if (entry.pid == tree.root && entry.start_ticks != tree.root_start_ticks)
            group_is_ours = false;
    }
    for (const ProcEntry& entry : table) {
        if (entry.start_ticks < tree.since_ticks || tree.excluded.count(entry.pid) > 0)
            continue;
        if (entry.pid == tree.root && !group_is_ours)
            continue;
        candidates.push_back(&entry);
        children.emplace(entry.ppid, &entry);
    }
    std::set<pid_t> found;
    std::vector<const ProcEntry*> pending;
    for (const ProcEntry* entry : candidates) {
        if (is_seed(*entry, tree, group_is_ours) && found.insert(entry->pid).second) {
            pending.push_back(entry);
        }
    }
    std::vector<ProcEntry> members;
    while (!pending.empty()) {
        const ProcEntry* entry = pending.back();
        pending.pop_back();
        members.push_back(*entry);
        auto [first, last] = children.equal_range(entry->pid);
        for (auto it = first; it != last; ++it) {
            if (found.insert(it->second->pid).second)
                pending.push_back(it->second);
        }
    }
    return members;
}

}  // namespace benchctl
