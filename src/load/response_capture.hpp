#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "load/http_response_parser.hpp"
#include "load/json_path.hpp"
#include "load/request_spec.hpp"
#include "load/text_template.hpp"
#include "util/text_pattern.hpp"

namespace benchctl {

// One value a request takes from its response, compiled.
struct CaptureRule {
    std::string name;
    std::uint32_t slot = 0;  // where the value is kept for later steps
    CaptureSource source = CaptureSource::json;
    std::string header;         // CaptureSource::header: the name, lowercased
    std::size_t json_path = 0;  // CaptureSource::json: index into the request's paths
    std::size_t pattern = 0;    // CaptureSource::regex: index into the request's patterns
};

// Takes the captured values of one response as the parser delivers its parts: header values by
// name (the first header of that name), JSON paths by streaming extraction (JsonPathExtractor:
// no document is built), regexes over the body kept up to k_max_body_bytes. One per connection,
// reused for every response, so it allocates only while its buffers grow.
class ResponseCapture final : public ResponseObserver {
  public:
    // A regex sees at most this much of the body (its first bytes).
    static constexpr std::size_t k_max_body_bytes = 1024 * 1024;

    // Prepares for the response to a request with these rules; `paths` are the request's JSON
    // paths and `patterns` the thread's compiled copies of its regexes (both outlive the
    // response).
    void begin(const std::vector<CaptureRule>& rules, const std::vector<const JsonPath*>& paths,
               const std::vector<TextPattern>* patterns);

    // After the whole response: stores each rule's value in `values` (by slot). Returns false
    // when a value was not found; `missing` then names its capture.
    bool finish(std::vector<CapturedValue>& values, std::string_view& missing);

    void on_response_begin() override;
    void on_header_name(std::string_view piece) override;
    void on_header_value(std::string_view piece) override;
    void on_body(std::string_view piece) override;

  private:
    const std::vector<CaptureRule>* m_rules = nullptr;
    const std::vector<const JsonPath*>* m_paths = nullptr;
    const std::vector<TextPattern>* m_patterns = nullptr;
    JsonPathExtractor m_json;
    bool m_wants_json = false;
    bool m_wants_body = false;
    std::string m_body;
    std::string m_header_name;
    bool m_in_value = false;
    std::vector<std::string> m_header_values;  // by rule
    std::vector<bool> m_header_found;
    std::vector<bool> m_header_taking;
};

}  // namespace benchctl
