#pragma once

#include <cstddef>
#include <vector>

#include "matrix/axes_reader.hpp"
#include "matrix/matrix.hpp"

namespace benchctl {

class ProblemList;

// The most bytes one file name may hold on Linux's file systems (NAME_MAX: ext4, xfs, btrfs,
// tmpfs). benchctl names files after cell ids, service names and the matrix name.
constexpr std::size_t k_file_name_max = 255;

// The longest cell id whose files fit: cells/<id>.json or cells/<id>.rep<k>.json (with room for
// the ".<n>" of a superseded copy), logs/<id>.log and logs/<id>.version.log.
std::size_t longest_cell_id(unsigned repeat);

// Reports what would make a file name too long for the file system, so that no measurement is
// lost to "File name too long" after its load ran: a cell id longer than longest_cell_id()
// (at its longest value name, once per value), a service name too long for
// logs/service-<name>.log, a companion name that makes logs/<cell id>.<name>.log (or an nginx
// companion's .access.log) too long, and a matrix name too long for results/<UTC time>-<name>/.
// `name_where` and `services_where` locate the matrix's name and services.
void check_file_name_lengths(const Matrix& matrix, const std::vector<AxisSource>& axes,
                             const SourceLocation& name_where, const DocNode* services,
                             ProblemList& problems);

}  // namespace benchctl
