#include "matrix/request_reader.hpp"

#include <fmt/format.h>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"

namespace benchctl {

namespace {

SpecText text_of(const DocNode& node) {
    return {node.scalar, node.where};
}

std::optional<SpecText> optional_text(const DocNode& map, std::string_view key) {
    const DocNode* node = map.find(key);
    if (node == nullptr || !node->is_scalar())
        return std::nullopt;
    return text_of(*node);
}

std::vector<std::pair<std::string, SpecText>> text_map(const DocNode* node) {
    std::vector<std::pair<std::string, SpecText>> entries;
    if (node == nullptr || !node->is_map())
        return entries;
    for (const DocEntry& entry : node->entries) {
        if (entry.value.is_scalar())
            entries.emplace_back(entry.key, text_of(entry.value));
    }
    return entries;
}

void check_capture(const DocNode& capture, ProblemList& problems,
                   const Variables* runtime_examples) {
    if (!capture.is_map()) {
        problems.add(capture.where,
                     fmt::format("capture expects a map of names, got {}", kind_name(capture.kind)),
                     "write capture: {id: {json: $.id}}");
        return;
    }
    check_duplicate_keys(capture, problems);
    for (const DocEntry& entry : capture.entries) {
        check_map(entry.value, capture_schema(), problems, runtime_examples);
        if (entry.value.is_map() && entry.value.entries.empty()) {
            problems.add(entry.value.where, fmt::format("capture '{}' says nothing", entry.key),
                         "write one of {json: $.id}, {header: Location}, {regex: 'id=(\\d+)'}");
        }
    }
}

void check_status(const DocNode& expect, ProblemList& problems) {
    const DocNode* status = expect.is_map() ? expect.find("status") : nullptr;
    if (status == nullptr || status->is_scalar())
        return;
    bool ok = status->is_list() && !status->items.empty();
    for (const DocNode& item : status->items)
        ok = ok && item.is_scalar();
    if (!ok) {
        problems.add(status->where, "status expects an HTTP status or a list of them",
                     "write status: 201 or status: [200, 201]");
    }
}

void check_data(const DocNode& data, ProblemList& problems, const Variables* runtime_examples) {
    if (!data.is_map()) {
        problems.add(data.where,
                     fmt::format("data expects a map of data sets, got {}", kind_name(data.kind)),
                     "write data: {tasks: {file: tasks.csv, pick: random}}");
        return;
    }
    check_duplicate_keys(data, problems);
    for (const DocEntry& entry : data.entries) {
        check_map(entry.value, data_set_schema(), problems, runtime_examples);
        if (entry.value.is_map() && entry.value.find("file") == nullptr) {
            problems.add(entry.key_where, fmt::format("data set '{}' names no file", entry.key),
                         "add file: NAME.csv (or .jsonl)");
        }
    }
}

void check_request(const DocNode& request, ProblemList& problems,
                   const Variables* runtime_examples) {
    if (const DocNode* capture = request.find("capture"))
        check_capture(*capture, problems, runtime_examples);
    if (const DocNode* expect = request.find("expect"))
        check_status(*expect, problems);
}

void check_entries(const DocEntry& list, ProblemList& problems, const Variables* runtime_examples) {
    if (!list.value.is_list()) {
        problems.add(list.value.where,
                     fmt::format("{} expects a list of requests, got {}", list.key,
                                 kind_name(list.value.kind)),
                     "write - {name: home, path: /} for each request");
        return;
    }
    for (const DocNode& item : list.value.items) {
        check_map(item, request_schema(), problems, runtime_examples);
        if (item.is_map())
            check_request(item, problems, runtime_examples);
    }
}

JsonSpec read_json(const DocNode& node) {
    JsonSpec json;
    switch (node.kind) {
        case DocNode::Kind::null:
            json.kind = JsonSpec::Kind::null;
            break;
        case DocNode::Kind::scalar:
            json.kind = node.plain ? JsonSpec::Kind::plain : JsonSpec::Kind::string;
            json.scalar = text_of(node);
            break;
        case DocNode::Kind::list:
            json.kind = JsonSpec::Kind::list;
            for (const DocNode& item : node.items)
                json.items.push_back(read_json(item));
            break;
        case DocNode::Kind::map:
            json.kind = JsonSpec::Kind::map;
            for (const DocEntry& entry : node.entries)
                json.entries.emplace_back(entry.key, read_json(entry.value));
            break;
    }
    return json;
}

void read_body(const DocNode& map, RequestSpec& request) {
    if (const DocNode* body = map.find("body"); body != nullptr && body->is_scalar()) {
        request.body_kind = BodyKind::raw;
        request.body = text_of(*body);
    } else if (const DocNode* file = map.find("body_file"); file != nullptr && file->is_scalar()) {
        request.body_kind = BodyKind::file;
        request.body = text_of(*file);
    } else if (const DocNode* form = map.find("form"); form != nullptr && form->is_map()) {
        request.body_kind = BodyKind::form;
        request.body.where = form->where;
        request.form = text_map(form);
    } else if (const DocNode* json = map.find("json")) {
        request.body_kind = BodyKind::json;
        request.body.where = json->where;
        request.json = read_json(*json);
    }
}

void read_captures(const DocNode* capture, RequestSpec& request) {
    if (capture == nullptr || !capture->is_map())
        return;
    for (const DocEntry& entry : capture->entries) {
        if (!entry.value.is_map())
            continue;
        for (const auto& [key, source] :
             {std::pair{"json", CaptureSource::json}, std::pair{"header", CaptureSource::header},
              std::pair{"regex", CaptureSource::regex}}) {
            if (const DocNode* found = entry.value.find(key);
                found != nullptr && found->is_scalar()) {
                request.captures.push_back({entry.key, entry.key_where, source, text_of(*found)});
                break;
            }
        }
    }
}

// The keys of one request, at the top level or in a mix entry or sequence step.
RequestSpec read_request(const DocNode& map) {
    RequestSpec request;
    request.where = map.where;
    request.name = optional_text(map, "name");
    request.method = optional_text(map, "method");
    request.path = optional_text(map, "path");
    request.weight = optional_text(map, "weight");
    request.headers = text_map(map.find("headers"));
    read_body(map, request);
    if (const DocNode* expect = map.find("expect"); expect != nullptr && expect->is_map()) {
        if (const DocNode* status = expect->find("status")) {
            if (status->is_scalar())
                request.expect_status.push_back(text_of(*status));
            for (const DocNode& item : status->items) {
                if (item.is_scalar())
                    request.expect_status.push_back(text_of(item));
            }
        }
    }
    read_captures(map.find("capture"), request);
    return request;
}

void read_data(const DocNode* data, LoadSpec& spec) {
    if (data == nullptr || !data->is_map())
        return;
    for (const DocEntry& entry : data->entries) {
        const DocNode* file = entry.value.is_map() ? entry.value.find("file") : nullptr;
        if (file == nullptr || !file->is_scalar())
            continue;
        spec.data.push_back({entry.key, entry.key_where, text_of(*file),
                             optional_text(entry.value, "pick"),
                             optional_text(entry.value, "format")});
    }
}

}  // namespace

void check_request_shapes(const DocNode& load, ProblemList& problems,
                          const Variables* runtime_examples) {
    if (!load.is_map())
        return;
    check_request(load, problems, runtime_examples);
    for (const DocEntry& entry : load.entries) {
        if (entry.key == "data")
            check_data(entry.value, problems, runtime_examples);
        if (entry.key == "mix" || entry.key == "sequence")
            check_entries(entry, problems, runtime_examples);
    }
}

void read_request_model(const DocNode& load, LoadSpec& spec) {
    spec.request = read_request(load);
    spec.request.name.reset();
    spec.request.path.reset();  // the URL's
    spec.request.weight.reset();
    spec.vars = text_map(load.find("vars"));
    read_data(load.find("data"), spec);
    for (const char* key : {"mix", "sequence"}) {
        const DocNode* list = load.find(key);
        if (list == nullptr || !list->is_list())
            continue;
        spec.shape = std::string_view(key) == "mix" ? RequestShape::mix : RequestShape::sequence;
        spec.request.where = list->where;
        for (const DocNode& item : list->items) {
            if (item.is_map())
                spec.entries.push_back(read_request(item));
        }
    }
}

}  // namespace benchctl
