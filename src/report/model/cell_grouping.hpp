#pragma once

#include <string>
#include <vector>

#include "report/model/run_report.hpp"

namespace benchctl {

// The nesting order of a report: axis names, outermost first. `group_by` (from --group-by) names
// the axes to put first; the remaining axes follow in the matrix's order. Throws UserError
// naming --group-by for an unknown or repeated axis name, listing the known ones.
std::vector<std::string> grouping_order(const std::vector<Axis>& axes,
                                        const std::vector<std::string>& group_by);

// The run's cells sorted by `order`: by each axis's value in the matrix's value order (values
// unknown to the manifest last), then by repetition; ties keep manifest order.
std::vector<const CellReport*> ordered_cells(const RunReport& run,
                                             const std::vector<std::string>& order);

// One heading of the hierarchy of source document 000, and the cells directly under it.
struct ReportSection {
    int level = 2;        // 2 is "##" (first axis), 3 "###", 4 "####" (the deeper axes joined)
    std::string heading;  // the axis values' labels; " / " between the joined ones
    std::vector<const CellReport*> cells;  // leaves (a cell's repetitions in order); may be empty
};

// The headings and leaves of the run in `order`, as a flat list in document order: a heading is
// emitted whenever its axis value (or an outer one) changes. Without axes each cell is its own
// level-2 section headed by its id. Pointers refer into `run`.
std::vector<ReportSection> group_cells(const RunReport& run, const std::vector<std::string>& order);

// The label of `axis`'s value in `cell` ("" when the cell has no value for it).
std::string axis_label(const CellReport& cell, const std::string& axis);

}  // namespace benchctl
