#pragma once

#include <set>
#include <string>
#include <vector>

#include "matrix/axes_reader.hpp"
#include "matrix/document.hpp"
#include "matrix/host_check.hpp"
#include "matrix/matrix.hpp"
#include "matrix/matrix_expansion.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class DataSetCache;
class ProblemList;

// What every cell is built from, besides its own axis values.
struct CellDefaults {
    DocNode target;                       // the top-level target (a map; empty when absent)
    DocNode load;                         // the top-level load (a map; empty when absent)
    DocNode thresholds;                   // the top-level thresholds (a map; empty when absent)
    std::vector<DocNode> target_sets;     // --set target.* as partial target maps, in order
    std::vector<DocNode> load_sets;       // --set load.* as partial load maps, in order
    std::vector<DocNode> threshold_sets;  // --set thresholds.* as partial maps, in order
    Variables runtime;                    // run-time variables with example values
    std::string directory;                // the matrix file's directory
    HostCheck* host = nullptr;            // checks programs and cwd on this machine; nullptr: no
    DataSetCache* data_sets = nullptr;    // data files read so far (the cells share them)
    // For each axis, every field name some of its values have (for "value 'b' has no field").
    std::vector<std::set<std::string, std::less<>>> axis_fields;
    std::vector<HostSpec> hosts;  // `hosts:`, for target.host and load.agents
};

// The field names of each axis's values, for CellDefaults::axis_fields.
std::vector<std::set<std::string, std::less<>>> field_names(const std::vector<AxisSource>& axes);

// Builds one cell: the top-level settings, then each axis value's partial target/load in axis
// order, then the include rules', then the --set ones (so --set wins); substitutes the
// expansion-time variables; checks the result (schema, load combination, that the target uses
// ${port} where the load goes, the placements target.host and load.agents against `hosts:`, and
// the host when `defaults.host` is set, unless the target runs on another host). Problems go to
// `problems`; `has_command` is set to false when the cell ends up with neither command nor shell
// (the caller reports those cells together).
Cell build_cell(const CellPlan& plan, const std::vector<AxisSource>& axes,
                const CellDefaults& defaults, ProblemList& problems, bool& has_command);

// Reads `services:`: a map of name -> a service of a known kind (`kind: postgres`, read by
// read_kind_service) or target settings. Each may use ${port} (its own), ${run_dir}, ${cell}
// (its name), ${env:NAME} and the variables of the services before it; a command service is
// checked as a cell's target is (its readiness probe's ${port}; the host, when `host` is set),
// a kind's server programs are looked up when `host` is set. A service's `host:` must name one
// of `hosts`; a service on another machine is not checked against this one.
std::vector<ServiceSpec> build_services(const DocNode* services, const std::vector<HostSpec>& hosts,
                                        ProblemList& problems, HostCheck* host);

}  // namespace benchctl
