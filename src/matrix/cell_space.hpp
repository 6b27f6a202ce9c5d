#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace benchctl {

// A set of cells named by conditions on their axis values (an exclude rule, an --only term).
struct CellPattern {
    // Per axis, in axis order: nullopt for any value, else which value indexes match.
    std::vector<std::optional<std::vector<bool>>> values;
    // Shell globs (fnmatch) that the cell id must all match: "nginx.*".
    std::vector<std::string> id_globs;
};

// The cells of a matrix before they are built: the cartesian product of the axes' values, minus
// every cell an exclude pattern matches, restricted to the cells some select pattern matches
// (all of them when there is no select pattern). Walks the product lazily, skipping whole
// subtrees that a pattern decides, so that a product of millions of cells is counted without
// listing them.
class CellSpace {
  public:
    // `value_names` holds each axis's value names (the product is over all of them); every
    // pattern has one entry per axis.
    CellSpace(std::vector<std::vector<std::string>> value_names, std::vector<CellPattern> excluded,
              std::vector<CellPattern> selected);

    // The number of cells, or `limit` + 1 when there are more. Stops counting there.
    std::size_t count(std::size_t limit) const;

    // The cells, as value indexes in axis order, first axis slowest: all of them, or the first
    // `limit` + 1 when there are more (then it stops).
    std::vector<std::vector<std::size_t>> cells(std::size_t limit) const;

    // True when an exclude pattern matches `cell` (value indexes into `value_names`).
    bool excludes(const std::vector<std::size_t>& cell) const;

    // True when there is no select pattern or one matches `cell`; `id` is the cell's id.
    bool selects(const std::vector<std::size_t>& cell, const std::string& id) const;

    // The select patterns `cell` matches (indexes), for telling which --only matched nothing.
    std::vector<std::size_t> matching_selectors(const std::vector<std::size_t>& cell,
                                                const std::string& id) const;

    // Thrown by count() and cells() when a walk looks at more than k_walk_budget cells one by
    // one (id globs cannot be decided for a whole subtree at once).
    struct TooLarge {};
    static constexpr std::size_t k_walk_budget = 5'000'000;

  private:
    struct Walk;     // where a walk down the axes stands (cell_space.cpp)
    struct Counter;  // the memo and the budget of one count or listing

    std::size_t count_below(const Walk& walk, std::size_t limit, Counter& counter) const;
    void list_below(const Walk& walk, std::size_t limit, std::vector<std::size_t>& prefix,
                    std::vector<std::vector<std::size_t>>& out, Counter& counter) const;
    Walk start() const;
    Walk step(const Walk& walk, std::size_t value) const;
    bool decided_empty(const Walk& walk) const;
    bool decided_full(const Walk& walk) const;
    bool leaf_selected(const Walk& walk) const;

    std::vector<std::vector<std::string>> m_value_names;
    std::vector<CellPattern> m_excluded;
    std::vector<CellPattern> m_selected;
    std::vector<std::size_t> m_last_axis_excluded;  // the last axis each pattern constrains + 1
    std::vector<std::size_t> m_last_axis_selected;
};

}  // namespace benchctl
