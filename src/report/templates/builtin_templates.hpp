#pragma once

#include <map>
#include <string>

namespace benchctl {

// The files report_templates/<name>.mustache as they were at build time, by <name>. Defined in
// a source file CMake generates from that folder (see the benchctl_report block of
// CMakeLists.txt), so editing a template and rebuilding is enough.
const std::map<std::string, std::string>& builtin_templates();

}  // namespace benchctl
