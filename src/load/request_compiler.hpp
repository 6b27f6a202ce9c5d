#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "load/data_set.hpp"
#include "load/load_spec.hpp"
#include "load/request_model.hpp"
#include "load/url.hpp"

namespace benchctl {

// Data files read so far, by path and format, so that the cells of a matrix that share a data
// file read it once. Not thread-safe.
class DataSetCache {
  public:
    // The rows of `path` (read on first use). Throws SpecError like DataSet::load, every time it
    // is asked for a file that failed.
    std::shared_ptr<const DataSet> get(const std::string& path, DataFormat format,
                                       const SourceLocation& where);

  private:
    std::map<std::pair<std::string, DataFormat>, std::shared_ptr<const DataSet>> m_sets;
};

// Whether `spec` asks for more than one fixed request sent over kept-alive connections: a
// placeholder anywhere, vars, data sets, a mix or a sequence, a form or json body, an expected
// status, captures, or keepalive: false.
bool needs_request_model(const LoadSpec& spec);

// Compiles the request model of `spec`, whose URL was parsed into `url` (placeholders masked);
// `keepalive` is the parsed keepalive setting. Relative data files start at
// spec.base_directory. Every problem is added to `problems` with where it was written: malformed
// placeholders and unknown names in them (data sets, fields, vars, captures used before a step
// captures them, functions), vars and captures named like something else, data files missing or
// malformed (at the data file's line), unknown pick modes and formats, weights that are not
// positive numbers, mix entries and steps without a unique name, statuses outside 100..599,
// malformed JSON paths and regexes, header names that are not tokens, keys that do not apply
// (a body beside a mix, capture outside a sequence, weight in a sequence). Returns the model
// when there was no problem, else nullptr.
std::shared_ptr<const RequestModel> compile_request_model(const LoadSpec& spec, const Url& url,
                                                          bool keepalive, DataSetCache& cache,
                                                          std::vector<SpecProblem>& problems);

}  // namespace benchctl
