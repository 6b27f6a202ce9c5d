#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "load/data_set.hpp"
#include "load/json_path.hpp"
#include "load/request_spec.hpp"
#include "load/response_capture.hpp"
#include "load/text_template.hpp"

namespace benchctl {

// One request of a model, compiled: templates for its request line, headers and body, what its
// response must satisfy, and what it captures from it.
struct CompiledRequest {
    std::string name;  // "request" for a single request; the entry's name otherwise
    double weight = 1;
    TextTemplate method;
    TextTemplate target;  // path and query
    TextTemplate head;    // header lines, each ending in CRLF (Host first)
    TextTemplate body;
    // Content-Length is sent when the body is not empty, and always for POST, PUT and PATCH
    // (servers may refuse those without a length). Known here when the method is literal.
    bool always_content_length = false;
    bool method_varies = false;
    bool expect_body = true;         // false for a literal HEAD
    std::vector<int> expect_status;  // empty: any status passes
    std::vector<CaptureRule> captures;
    std::vector<JsonPath> json_paths;      // of the JSON captures
    std::vector<std::string> patterns;     // of the regex captures, compiled per thread
    std::vector<std::uint32_t> data_sets;  // the data sets its templates read
    bool uses_seq = false;
    bool uses_uuid = false;
    std::optional<std::string> fixed;  // the whole request, when nothing in it varies
};

// One data set of a model, loaded.
struct ModelDataSet {
    std::string name;
    std::string file;
    PickMode pick = PickMode::random;
    std::shared_ptr<const DataSet> rows;
};

// What a load sends, compiled once from the spec (compile_request_model) and then only read, by
// every load thread at once: the requests, the data sets they draw from, and how each new
// request is chosen. Per-run state (the positions in sequential and unique data sets) and
// per-thread state (random sources, rendering buffers) live outside it, so one model can serve
// a run, a verify step before it, and tests.
struct RequestModel {
    RequestShape shape = RequestShape::single;
    std::vector<CompiledRequest> requests;  // one for single; the entries otherwise
    std::vector<ModelDataSet> data;
    std::vector<std::string> captures;  // capture names by slot
    // Sequence: the data sets any step reads; a row of each is taken when a pass begins, so that
    // every step of one pass sees the same row.
    std::vector<std::uint32_t> sequence_data_sets;
    bool keepalive = true;

    // Whether per-request-name figures are kept (a mix or a sequence).
    bool named() const { return shape != RequestShape::single; }
};

const char* request_shape_name(RequestShape shape);

}  // namespace benchctl
