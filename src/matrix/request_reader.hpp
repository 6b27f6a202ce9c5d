#pragma once

#include "load/load_spec.hpp"
#include "matrix/document.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class ProblemList;

// Checks what check_map leaves to dedicated code in a load: map (or a --script file, or one mix
// entry or sequence step): data: is a map of names to {file, pick, format}; mix: and sequence:
// are lists of request maps (checked against request_schema); capture: is a map of names to one
// of {json: PATH}, {header: NAME}, {regex: PATTERN}; expect.status is a status or a list of
// them; json: may be any YAML. What the values mean (placeholders, data files, weights, paths)
// is checked when the model is compiled (compile_request_model).
void check_request_shapes(const DocNode& load, ProblemList& problems,
                          const Variables* runtime_examples = nullptr);

// Reads the request model of a checked load: map into `spec`: the top-level request (method,
// headers, body, body_file, form, json, expect, capture), vars, data, and mix or sequence.
// Values of the wrong shape (reported by check_request_shapes) are left out.
void read_request_model(const DocNode& load, LoadSpec& spec);

}  // namespace benchctl
