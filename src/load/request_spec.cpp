#include "load/request_spec.hpp"

namespace benchctl {

namespace {

void for_each_json_text(JsonSpec& json, const std::function<void(std::string&)>& visit) {
    if (json.kind == JsonSpec::Kind::string || json.kind == JsonSpec::Kind::plain)
        visit(json.scalar.text);
    for (JsonSpec& item : json.items)
        for_each_json_text(item, visit);
    for (auto& [key, value] : json.entries)
        for_each_json_text(value, visit);
}

}  // namespace

void for_each_request_text(RequestSpec& request, const std::function<void(std::string&)>& visit) {
    for (auto* text : {&request.name, &request.method, &request.path, &request.weight}) {
        if (*text)
            visit((*text)->text);
    }
    for (auto& [name, value] : request.headers)
        visit(value.text);
    visit(request.body.text);
    for (auto& [name, value] : request.form)
        visit(value.text);
    for_each_json_text(request.json, visit);
    for (SpecText& status : request.expect_status)
        visit(status.text);
    for (CaptureSpec& capture : request.captures)
        visit(capture.expression.text);
}

}  // namespace benchctl
