#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load/request_spec.hpp"
#include "load/text_template.hpp"

namespace benchctl {

class DataSet;

// The names a placeholder of one request may use.
struct TemplateScope {
    struct DataSetRef {
        std::string name;
        const DataSet* set = nullptr;  // nullptr when the set could not be loaded (reported)
    };
    const std::vector<std::pair<std::string, SpecText>>* vars = nullptr;  // `vars:`, inlined
    std::vector<DataSetRef> data;                                         // by data-set number
    std::vector<std::string> captures;       // every capture of the model, by slot
    std::vector<std::string> capture_steps;  // the step that captures each slot
    std::vector<bool> captured_before;       // whether an earlier step captured each slot
};

// The names a placeholder may use besides vars, data sets and captures.
inline constexpr const char* k_builtin_placeholders[] = {"seq", "uuid", "connection"};

// Compiles `text` into a template: the text between placeholders is escaped with
// `literal_escape` (the caller's own syntax stays as written with Escape::raw), each
// placeholder's value at render time with `slot_escape`. A var is inlined as text. A
// placeholder is one of:
//   {{set.field}}               a field of the request's row of data set `set`
//   {{random.int(a,b)}}         an integer from a to b inclusive
//   {{random.choice(x,y,z)}}    one of the items (an item may be "quoted", to hold a comma)
//   {{seq}} {{uuid}} {{connection}}
//   {{name}}                    a var, or a value an earlier sequence step captured
//   {{"text"}}                  the text itself (how to write "{{" in a request)
// Each placeholder that is none of these adds a problem at `text.where` and renders nothing.
TextTemplate compile_template(const SpecText& text, Escape slot_escape, Escape literal_escape,
                              const TemplateScope& scope, std::vector<SpecProblem>& problems);

// True when `text` is exactly one placeholder ("{{seq}}"), which a json: body writes as a JSON
// value of its own type instead of inside a string.
bool is_single_placeholder(std::string_view text);

// `text` with every placeholder replaced by `with` (for checks of what surrounds them, such as
// a URL's syntax). An unclosed "{{" stays as written.
std::string mask_placeholders(std::string_view text, std::string_view with);

// True when `text` holds a "{{".
bool has_placeholder(std::string_view text);

}  // namespace benchctl
