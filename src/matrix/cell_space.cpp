#include "matrix/cell_space.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

namespace benchctl {

namespace {

std::size_t saturating_add(std::size_t a, std::size_t b) {
    return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max()
                                                           : a + b;
}

std::size_t saturating_multiply(std::size_t a, std::size_t b) {
    if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
        return std::numeric_limits<std::size_t>::max();
    return a * b;
}

bool allows(const std::optional<std::vector<bool>>& values, std::size_t value) {
    return !values || (value < values->size() && (*values)[value]);
}

// 1 + the last axis a pattern constrains (0 when it constrains none): once a walk has chosen
// values up to there, the pattern's axis conditions are decided.
std::size_t end_of_conditions(const CellPattern& pattern) {
    std::size_t end = 0;
    for (std::size_t axis = 0; axis < pattern.values.size(); ++axis) {
        if (pattern.values[axis])
            end = axis + 1;
    }
    return end;
}

// Whether some id starting with `prefix` may match `glob`: its text before the first wildcard
// must agree with the prefix. Never false for an id that could match.
bool may_match_prefix(const std::string& glob, const std::string& prefix) {
    std::size_t literal = std::min(glob.find_first_of("*?[\\"), glob.size());
    std::size_t common = std::min(literal, prefix.size());
    return glob.compare(0, common, prefix, 0, common) == 0;
}

bool globs_match(const std::vector<std::string>& globs, const std::string& id) {
    return std::all_of(globs.begin(), globs.end(), [&](const std::string& glob) {
        return fnmatch(glob.c_str(), id.c_str(), 0) == 0;
    });
}

}  // namespace

struct CellSpace::Walk {
    std::size_t axis = 0;               // the next axis to choose a value on
    std::vector<std::size_t> excluded;  // exclude patterns matching every value chosen so far
    std::vector<std::size_t> selected;  // select patterns that still may match
    std::string id;                     // the names chosen so far, joined by '.'
    bool uses_ids = false;              // some pattern in `selected` has id globs
};

struct CellSpace::Counter {
    // Without id globs a subtree's count depends only on where the walk stands and which
    // patterns are still live, so equal subtrees are counted once.
    std::map<std::tuple<std::size_t, std::vector<std::size_t>, std::vector<std::size_t>>,
             std::size_t>
        memo;
    std::size_t visited = 0;
};

CellSpace::CellSpace(std::vector<std::vector<std::string>> value_names,
                     std::vector<CellPattern> excluded, std::vector<CellPattern> selected)
    : m_value_names(std::move(value_names)),
      m_excluded(std::move(excluded)),
      m_selected(std::move(selected)) {
    for (const CellPattern& pattern : m_excluded)
        m_last_axis_excluded.push_back(end_of_conditions(pattern));
    for (const CellPattern& pattern : m_selected)
        m_last_axis_selected.push_back(end_of_conditions(pattern));
}

CellSpace::Walk CellSpace::step(const Walk& walk, std::size_t value) const {
    Walk next;
    next.axis = walk.axis + 1;
    for (std::size_t e : walk.excluded) {
        if (allows(m_excluded[e].values[walk.axis], value))
            next.excluded.push_back(e);
    }
    if (walk.uses_ids) {
        next.id = walk.id + (walk.axis == 0 ? "" : ".") + m_value_names[walk.axis][value];
        if (next.axis < m_value_names.size())
            next.id += '.';
    }
    for (std::size_t s : walk.selected) {
        const CellPattern& pattern = m_selected[s];
        if (!allows(pattern.values[walk.axis], value))
            continue;
        bool may_match =
            std::all_of(pattern.id_globs.begin(), pattern.id_globs.end(),
                        [&](const std::string& glob) { return may_match_prefix(glob, next.id); });
        if (may_match) {
            next.selected.push_back(s);
            next.uses_ids = next.uses_ids || !pattern.id_globs.empty();
        }
    }
    if (walk.uses_ids && next.axis < m_value_names.size())
        next.id.pop_back();  // the '.' was only there for the prefix test
    return next;
}

bool CellSpace::decided_empty(const Walk& walk) const {
    bool excluded = std::any_of(walk.excluded.begin(), walk.excluded.end(), [&](std::size_t e) {
        return m_last_axis_excluded[e] <= walk.axis;
    });
    return excluded || (!m_selected.empty() && walk.selected.empty());
}

bool CellSpace::decided_full(const Walk& walk) const {
    if (!walk.excluded.empty())
        return false;
    if (m_selected.empty())
        return true;
    return std::any_of(walk.selected.begin(), walk.selected.end(), [&](std::size_t s) {
        return m_last_axis_selected[s] <= walk.axis && m_selected[s].id_globs.empty();
    });
}

bool CellSpace::leaf_selected(const Walk& walk) const {
    if (m_selected.empty())
        return true;
    return std::any_of(walk.selected.begin(), walk.selected.end(),
                       [&](std::size_t s) { return globs_match(m_selected[s].id_globs, walk.id); });
}

std::size_t CellSpace::count_below(const Walk& walk, std::size_t limit, Counter& counter) const {
    if (++counter.visited > k_walk_budget)
        throw TooLarge{};
    if (decided_empty(walk))
        return 0;
    if (walk.axis == m_value_names.size())
        return leaf_selected(walk) ? 1 : 0;
    if (decided_full(walk)) {
        std::size_t product = 1;
        for (std::size_t axis = walk.axis; axis < m_value_names.size(); ++axis)
            product = saturating_multiply(product, m_value_names[axis].size());
        return std::min(product, limit + 1);
    }
    auto key = std::make_tuple(walk.axis, walk.excluded, walk.selected);
    if (!walk.uses_ids) {
        if (auto found = counter.memo.find(key); found != counter.memo.end())
            return found->second;
    }
    std::size_t total = 0;
    for (std::size_t value = 0; value < m_value_names[walk.axis].size() && total <= limit;
         ++value) {
        total = saturating_add(total, count_below(step(walk, value), limit, counter));
    }
    total = std::min(total, limit + 1);
    if (!walk.uses_ids)
        counter.memo[key] = total;
    return total;
}

void CellSpace::list_below(const Walk& walk, std::size_t limit, std::vector<std::size_t>& prefix,
                           std::vector<std::vector<std::size_t>>& out, Counter& counter) const {
    if (++counter.visited > k_walk_budget)
        throw TooLarge{};
    if (out.size() > limit || decided_empty(walk))
        return;
    if (walk.axis == m_value_names.size()) {
        if (leaf_selected(walk))
            out.push_back(prefix);
        return;
    }
    // Without id globs an empty subtree is found by a (memoised) count instead of a walk.
    if (!walk.uses_ids && count_below(walk, 0, counter) == 0)
        return;
    for (std::size_t value = 0; value < m_value_names[walk.axis].size(); ++value) {
        prefix.push_back(value);
        list_below(step(walk, value), limit, prefix, out, counter);
        prefix.pop_back();
    }
}

CellSpace::Walk CellSpace::start() const {
    Walk walk;
    for (std::size_t e = 0; e < m_excluded.size(); ++e)
        walk.excluded.push_back(e);
    for (std::size_t s = 0; s < m_selected.size(); ++s) {
        walk.selected.push_back(s);
        walk.uses_ids = walk.uses_ids || !m_selected[s].id_globs.empty();
    }
    return walk;
}

std::size_t CellSpace::count(std::size_t limit) const {
    Counter counter;
    return count_below(start(), limit, counter);
}

std::vector<std::vector<std::size_t>> CellSpace::cells(std::size_t limit) const {
    std::vector<std::vector<std::size_t>> out;
    std::vector<std::size_t> prefix;
    Counter counter;
    list_below(start(), limit, prefix, out, counter);
    return out;
}

bool CellSpace::excludes(const std::vector<std::size_t>& cell) const {
    return std::any_of(m_excluded.begin(), m_excluded.end(), [&](const CellPattern& pattern) {
        for (std::size_t axis = 0; axis < cell.size(); ++axis) {
            if (!allows(pattern.values[axis], cell[axis]))
                return false;
        }
        return true;
    });
}

std::vector<std::size_t> CellSpace::matching_selectors(const std::vector<std::size_t>& cell,
                                                       const std::string& id) const {
    std::vector<std::size_t> matching;
    for (std::size_t s = 0; s < m_selected.size(); ++s) {
        const CellPattern& pattern = m_selected[s];
        bool values_match = true;
        for (std::size_t axis = 0; axis < cell.size() && values_match; ++axis)
            values_match = allows(pattern.values[axis], cell[axis]);
        if (values_match && globs_match(pattern.id_globs, id))
            matching.push_back(s);
    }
    return matching;
}

bool CellSpace::selects(const std::vector<std::size_t>& cell, const std::string& id) const {
    return m_selected.empty() || !matching_selectors(cell, id).empty();
}

}  // namespace benchctl
