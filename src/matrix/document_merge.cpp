#include "matrix/document_merge.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "matrix/matrix_schema.hpp"

namespace benchctl {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The keys of `base` that `over` replaces through an exclusive group, except those it sets
// itself (they merge as usual).
std::set<std::string> dropped_keys(const DocNode& over) {
    std::set<std::string> dropped;
    for (const ExclusiveGroup& group : exclusive_groups()) {
        bool sets_one =
            std::any_of(over.entries.begin(), over.entries.end(),
                        [&](const DocEntry& entry) { return contains(group.keys, entry.key); });
        if (sets_one)
            dropped.insert(group.replaces.begin(), group.replaces.end());
    }
    for (const DocEntry& entry : over.entries)
        dropped.erase(entry.key);
    return dropped;
}

}  // namespace

DocNode merge_documents(const DocNode& base, const DocNode& over) {
    if (!base.is_map() || !over.is_map())
        return over;
    DocNode merged = base;
    merged.where = over.where;
    std::set<std::string> dropped = dropped_keys(over);
    std::erase_if(merged.entries,
                  [&](const DocEntry& entry) { return dropped.count(entry.key) > 0; });
    // Where each key is (its last occurrence, as DocNode::find answers), so that laying a map of
    // n keys over one of m keys costs n + m lookups, not n * m.
    std::unordered_map<std::string, std::size_t> index;
    index.reserve(merged.entries.size() + over.entries.size());
    for (std::size_t i = 0; i < merged.entries.size(); ++i)
        index[merged.entries[i].key] = i;
    for (const DocEntry& entry : over.entries) {
        auto [at, inserted] = index.emplace(entry.key, merged.entries.size());
        if (inserted) {
            merged.entries.push_back(entry);
        } else {
            DocNode& existing = merged.entries[at->second].value;
            existing = merge_documents(existing, entry.value);
        }
    }
    return merged;
}

}  // namespace benchctl
