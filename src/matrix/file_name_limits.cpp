#include "matrix/file_name_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "matrix/problem_list.hpp"

namespace benchctl {

namespace {

constexpr std::string_view k_run_stamp = "20240101T000000Z-";  // results/<UTC time>-<name>/
constexpr std::string_view k_service_log = "service-.log";     // logs/service-<name>.log
constexpr std::string_view k_service_access_log = "service-.access.log";  // nginx kind
constexpr std::string_view k_version_log = ".version.log";                // logs/<id>.version.log
constexpr std::size_t k_superseded_suffix = 4;  // cells/superseded/<file>.<n>, n up to 999

// The first bytes of a long name, for messages.
std::string shortened(const std::string& text) {
    constexpr std::size_t k_shown = 32;
    return text.size() <= k_shown ? text : text.substr(0, k_shown) + "...";
}

void check_cell_ids(const Matrix& matrix, const std::vector<AxisSource>& axes,
                    ProblemList& problems) {
    std::size_t limit = longest_cell_id(matrix.repeat);
    std::set<std::string> reported;  // value locations, so each long value is named once
    for (const Cell& cell : matrix.cells) {
        if (cell.id.size() <= limit || cell.values.size() != axes.size())
            continue;
        std::size_t longest = 0;
        for (std::size_t a = 1; a < cell.values.size(); ++a) {
            if (cell.values[a].name.size() > cell.values[longest].name.size())
                longest = a;
        }
        const AxisValue& value = cell.values[longest];
        auto source = std::find_if(
            axes[longest].values.begin(), axes[longest].values.end(),
            [&](const AxisValueSource& candidate) { return candidate.value.name == value.name; });
        SourceLocation where =
            source != axes[longest].values.end() ? source->where : axes[longest].where;
        if (!reported.insert(where.to_string()).second)
            continue;
        problems.add(where,
                     fmt::format("value name '{}' ({} bytes) makes cell id '{}' {} bytes long, "
                                 "more than the {} its file names leave for it",
                                 shortened(value.name), value.name.size(), shortened(cell.id),
                                 cell.id.size(), limit),
                     fmt::format("benchctl writes cells/<id>{} and logs/<id>{}, and a file name "
                                 "holds at most {} bytes; shorten the name and put long text in "
                                 "label:",
                                 matrix.repeat > 1 ? ".rep<k>.json" : ".json", k_version_log,
                                 k_file_name_max));
    }
}

}  // namespace

std::size_t longest_cell_id(unsigned repeat) {
    std::size_t cell_file =
        repeat <= 1 ? std::string_view(".json").size() : fmt::format(".rep{}.json", repeat).size();
    return k_file_name_max - std::max(cell_file + k_superseded_suffix, k_version_log.size());
}

namespace {

// logs/<cell id>.<name>.log (and .access.log for nginx) of every cell's companions.
void check_companion_names(const Matrix& matrix, ProblemList& problems) {
    for (const Cell& cell : matrix.cells) {
        for (const CompanionSpec& companion : cell.target.companions) {
            const std::string_view log = companion.config ? ".access.log" : ".log";
            const std::size_t size = cell.id.size() + 1 + companion.name.size() + log.size();
            if (size <= k_file_name_max)
                continue;
            problems.add(companion.where,
                         fmt::format("companion name '{}' makes the log file of cell {} {} bytes "
                                     "long",
                                     shortened(companion.name), shortened(cell.id), size),
                         fmt::format("logs/<cell id>.<name>{} must fit in {} bytes; shorten the "
                                     "companion's name or the cell's value names",
                                     log, k_file_name_max));
        }
    }
}

}  // namespace

void check_file_name_lengths(const Matrix& matrix, const std::vector<AxisSource>& axes,
                             const SourceLocation& name_where, const DocNode* services,
                             ProblemList& problems) {
    check_cell_ids(matrix, axes, problems);
    check_companion_names(matrix, problems);
    if (services != nullptr && services->is_map()) {
        for (const DocEntry& entry : services->entries) {
            // An nginx service also writes logs/service-<name>.access.log.
            const DocNode* kind = entry.value.is_map() ? entry.value.find("kind") : nullptr;
            bool nginx = kind != nullptr && kind->is_scalar() && kind->scalar == "nginx";
            std::string_view log = nginx ? k_service_access_log : k_service_log;
            if (entry.key.size() + log.size() <= k_file_name_max)
                continue;
            problems.add(entry.key_where,
                         fmt::format("service name '{}' ({} bytes) is too long for its log file",
                                     shortened(entry.key), entry.key.size()),
                         fmt::format("logs/service-<name>{} must fit in {} bytes; use at most {}",
                                     nginx ? ".access.log" : ".log", k_file_name_max,
                                     k_file_name_max - log.size()));
        }
    }
    if (matrix.name.size() + k_run_stamp.size() > k_file_name_max) {
        problems.add(name_where,
                     fmt::format("name '{}' ({} bytes) is too long for the run directory",
                                 shortened(matrix.name), matrix.name.size()),
                     fmt::format("results/<UTC time>-<name>/ must fit in {} bytes; use at most {}",
                                 k_file_name_max, k_file_name_max - k_run_stamp.size()));
    }
}

}  // namespace benchctl
