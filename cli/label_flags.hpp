#pragma once

#include <map>
#include <string>
#include <vector>

namespace benchctl {

// `--label key=value` arguments (run, history add) as a map: what a run measured, such as the
// commit and branch under test. Keys are letters, digits, '_', '-' and '.'; a later label of the
// same key wins. Throws UserError naming --label for an argument without '=' or a malformed key.
std::map<std::string, std::string> parse_labels(const std::vector<std::string>& arguments);

}  // namespace benchctl
