#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/error.hpp"
#include "util/source_location.hpp"

namespace benchctl {

// The request model as a person wrote it (a matrix's `load:` map, a `--script` file, or
// benchctl load's flags), before it is compiled (request_compiler.hpp). Every text keeps where
// it was written, so that a problem found while compiling names the file, line and column.
// Texts may hold {{...}} placeholders (docs/requests.md); a matrix's ${...} variables are filled
// in before compiling.

// A string and where it was written.
struct SpecText {
    std::string text;
    SourceLocation where;
};

// A `json:` body as written: a YAML value whose plain scalars keep their YAML type (`5` is a
// number, `"5"` a string), so that the body it renders is the JSON the YAML reads as.
struct JsonSpec {
    enum class Kind {
        null,
        plain,   // a scalar without quotes: null, a boolean, a number or a string, by YAML 1.2's
                 // core schema, decided when compiled (after a matrix's variables are filled in)
        string,  // a quoted scalar
        list,
        map
    };
    Kind kind = Kind::null;
    SpecText scalar;              // plain and string: the text (may hold placeholders)
    std::vector<JsonSpec> items;  // Kind::list
    std::vector<std::pair<std::string, JsonSpec>> entries;  // Kind::map, in the order written
};

// Which one body a request has.
enum class BodyKind { none, raw, file, form, json };

// Where a captured value comes from in a response.
enum class CaptureSource { json, header, regex };

// `capture: {id: {json: $.id}}`: one value a sequence step takes from its response.
struct CaptureSpec {
    std::string name;
    SourceLocation where;  // of the name
    CaptureSource source = CaptureSource::json;
    SpecText expression;  // "$.id", "Location", "token=(\\w+)"
};

// One request: the top level of a load (also the defaults of every mix entry and sequence
// step: method, headers and expect), one mix entry, or one sequence step.
struct RequestSpec {
    std::optional<SpecText> name;
    std::optional<SpecText> method;
    std::optional<SpecText> path;  // mix entries and steps; the top level's is the URL's
    std::vector<std::pair<std::string, SpecText>> headers;  // in the order written
    BodyKind body_kind = BodyKind::none;
    SpecText body;  // BodyKind::raw: the body; BodyKind::file: the file's path
    std::vector<std::pair<std::string, SpecText>> form;  // BodyKind::form
    JsonSpec json;                                       // BodyKind::json
    std::vector<SpecText> expect_status;                 // empty: any status is fine
    std::vector<CaptureSpec> captures;
    std::optional<SpecText> weight;  // mix entries only
    SourceLocation where;            // the request itself
};

// `data: {tasks: {file: tasks.csv, pick: random}}`: one data set.
struct DataSetSpec {
    std::string name;
    SourceLocation where;            // of the name
    SpecText file;                   // relative to the matrix or script file's directory
    std::optional<SpecText> pick;    // random (default), sequential, unique
    std::optional<SpecText> format;  // csv or jsonl; by default from the file's extension
};

// How the requests of a load are chosen.
enum class RequestShape {
    single,    // one request, every time
    mix,       // a weighted choice among named requests, per request
    sequence,  // named steps in order on each connection, repeated
};

// Calls `visit` with every text of `request` (method, path, header values, body, form values,
// json strings, statuses, capture expressions, weight), so that a caller can fill variables in.
void for_each_request_text(RequestSpec& request, const std::function<void(std::string&)>& visit);

// A problem found in what was written: where, what, and what to do.
struct SpecProblem {
    SourceLocation where;
    std::string what;
    std::string hint;
};

// A problem in what was written, located. Thrown by the data-set readers, collected by the
// request compiler; a UserError whose where() is the location's text.
class SpecError : public UserError {
  public:
    SpecError(SourceLocation location, std::string what, std::string hint)
        : UserError(std::move(what), location.to_string(), std::move(hint)),
          m_location(std::move(location)) {}
    const SourceLocation& location() const { return m_location; }

  private:
    SourceLocation m_location;
};

}  // namespace benchctl
