#pragma once

#include "matrix/document.hpp"

namespace benchctl {

// `over` laid over `base`, as an axis value's partial target or load settings (or a --set) lay
// over the top-level ones: two maps merge key by key, recursively (so env and headers merge per
// name, ready and stop per key); anything else in `over` replaces what `base` holds. A key of an
// exclusive group (command/shell, url/path, duration/requests/iterations, body/body_file,
// tcp/http/log) in `over` drops the other keys of its group from `base`. Locations are kept, so
// a problem in the result still points at the line that set the value.
DocNode merge_documents(const DocNode& base, const DocNode& over);

}  // namespace benchctl
