#include "matrix/document_merge.hpp"

#include <algorithm>
#include <set>

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
    for (const DocEntry& entry : over.entries) {
        DocNode* existing = merged.find(entry.key);
        if (existing != nullptr) {
            *existing = merge_documents(*existing, entry.value);
        } else {
            merged.entries.push_back(entry);
        }
    }
    return merged;
}

}  // namespace benchctl
