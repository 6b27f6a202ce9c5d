// CellSpace counts and lists the product of the axes less the excluded cells, restricted to the
// selected ones, without listing what it only counts; checked against a brute-force walk.

#include "matrix/cell_space.hpp"

#include <fnmatch.h>

#include <catch2/catch.hpp>
#include <random>

using namespace benchctl;

namespace {

using Names = std::vector<std::vector<std::string>>;

bool pattern_matches(const CellPattern& pattern, const std::vector<std::size_t>& cell,
                     const std::string& id) {
    for (std::size_t a = 0; a < cell.size(); ++a) {
        if (pattern.values[a] && !(*pattern.values[a])[cell[a]])
            return false;
    }
    for (const std::string& glob : pattern.id_globs) {
        if (fnmatch(glob.c_str(), id.c_str(), 0) != 0)
            return false;
    }
    return true;
}

// Every cell of the product, in order, filtered the slow way.
std::vector<std::vector<std::size_t>> brute_force(const Names& names,
                                                  const std::vector<CellPattern>& excluded,
                                                  const std::vector<CellPattern>& selected) {
    std::vector<std::vector<std::size_t>> out;
    std::vector<std::size_t> cell(names.size(), 0);
    while (true) {
        std::string id;
        for (std::size_t a = 0; a < cell.size(); ++a)
            id += (a ? "." : "") + names[a][cell[a]];
        bool dropped = false;
        for (const CellPattern& p : excluded)
            dropped = dropped || pattern_matches(p, cell, id);
        bool chosen = selected.empty();
        for (const CellPattern& p : selected)
            chosen = chosen || pattern_matches(p, cell, id);
        if (!dropped && chosen)
            out.push_back(cell);
        std::size_t a = cell.size();
        while (a > 0 && ++cell[a - 1] == names[a - 1].size())
            cell[--a] = 0;
        if (a == 0)
            return out;
    }
}

CellPattern random_pattern(const Names& names, std::mt19937& random, bool with_globs) {
    CellPattern pattern;
    for (const auto& values : names) {
        if (random() % 2 == 0) {
            pattern.values.emplace_back();
            continue;
        }
        std::vector<bool> allowed(values.size());
        for (std::size_t v = 0; v < values.size(); ++v)
            allowed[v] = random() % 3 == 0;
        pattern.values.emplace_back(allowed);
    }
    if (with_globs && random() % 2 == 0)
        pattern.id_globs.push_back(random() % 2 ? "a1.*" : "*.c" + std::to_string(random() % 3));
    return pattern;
}

}  // namespace

TEST_CASE("cell space counts and lists exactly what a brute-force walk finds") {
    std::mt19937 random(7);
    Names names{{"a0", "a1", "a2"}, {"b0", "b1"}, {"c0", "c1", "c2", "c3"}};
    for (int round = 0; round < 300; ++round) {
        std::vector<CellPattern> excluded, selected;
        for (unsigned i = random() % 4; i > 0; --i)
            excluded.push_back(random_pattern(names, random, false));
        for (unsigned i = random() % 3; i > 0; --i)
            selected.push_back(random_pattern(names, random, true));
        auto expected = brute_force(names, excluded, selected);
        CellSpace space(names, excluded, selected);
        INFO("round " << round);
        CHECK(space.count(1000) == expected.size());
        CHECK(space.cells(1000) == expected);
        CHECK(space.count(2) == std::min<std::size_t>(expected.size(), 3));
        CHECK(space.cells(2).size() == std::min<std::size_t>(expected.size(), 3));
    }
}

TEST_CASE("cell space counts a product of 20^12 cells without walking it") {
    Names names(12, std::vector<std::string>(20, "v"));
    CellPattern last_axis;
    last_axis.values.resize(12);
    last_axis.values[11] = std::vector<bool>(20, false);
    (*last_axis.values[11])[0] = true;
    CellSpace space(names, {last_axis}, {});
    CHECK(space.count(1'000'000) == 1'000'001);
    CHECK(space.count(std::numeric_limits<std::size_t>::max() - 1) ==
          std::size_t{4'096'000'000'000'000} / 20 * 19);
}

TEST_CASE("cell space gives up on id globs that need too many ids looked at") {
    Names names(8, {"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"});
    CellPattern suffix;
    suffix.values.resize(8);
    suffix.id_globs = {"*.v9.v9.v9.v8"};
    CellSpace space(names, {}, {suffix});
    CHECK(space.count(10) == 11);  // stops early, at the 11th of 10,000 matches
    CHECK_THROWS_AS(space.count(1'000'000), CellSpace::TooLarge);
    CellPattern prefix = suffix;
    prefix.id_globs = {"v1.v2.v3.v4.*"};
    CHECK(CellSpace(names, {}, {prefix}).cells(100'000).size() == 10'000);
}
