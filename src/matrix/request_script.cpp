#include "matrix/request_script.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "load/placeholder.hpp"
#include "load/request_compiler.hpp"
#include "load/url.hpp"
#include "matrix/document.hpp"
#include "matrix/matrix_error.hpp"
#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/request_reader.hpp"
#include "matrix/schema_check.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// The script's map without the keys benchctl load takes as flags, each reported with its flag.
DocNode without_flag_keys(const DocNode& script, ProblemList& problems) {
    DocNode kept = script;
    kept.entries.clear();
    for (const DocEntry& entry : script.entries) {
        const auto& flags = script_flag_keys();
        auto flag = std::find_if(flags.begin(), flags.end(),
                                 [&](const auto& pair) { return pair.first == entry.key; });
        if (flag == flags.end()) {
            kept.entries.push_back(entry);
            continue;
        }
        problems.add(entry.key_where,
                     fmt::format("'{}' is set by benchctl load's {}, not in a script", entry.key,
                                 flag->second),
                     "a script says what to send; give how long and how hard as flags");
    }
    return kept;
}

// The spec with the script's settings laid over the flags'.
LoadSpec merged_spec(const DocNode& script, const std::string& path, const LoadSpec& flags) {
    LoadSpec spec = flags;
    read_request_model(script, spec);
    std::vector<std::pair<std::string, SpecText>> headers;
    for (const auto& header : flags.request.headers) {
        bool replaced = std::any_of(
            spec.request.headers.begin(), spec.request.headers.end(),
            [&](const auto& own) { return equals_ignoring_case(own.first, header.first); });
        if (!replaced)
            headers.push_back(header);
    }
    headers.insert(headers.end(), spec.request.headers.begin(), spec.request.headers.end());
    spec.request.headers = std::move(headers);
    if (!spec.request.method)
        spec.request.method = flags.request.method;
    if (const DocNode* target = script.find("path"); target != nullptr && target->is_scalar()) {
        spec.url = url_origin_text(flags.url) + target->scalar;
        spec.url_where = target->where;
    }
    for (auto [key, field] : {std::pair{"keepalive", &spec.keepalive},
                              std::pair{"seed", &spec.seed}, std::pair{"latency", &spec.latency}}) {
        const DocNode* node = script.find(key);
        if (node != nullptr && node->is_scalar() && !*field)
            *field = node->scalar;
    }
    spec.base_directory = std::filesystem::path(path).parent_path().string();
    return spec;
}

void check_model(const LoadSpec& spec, ProblemList& problems) {
    Url url;
    try {
        url = parse_url(mask_placeholders(spec.url, "x"), "URL argument");
    } catch (const UserError&) {
        return;  // to_load_settings names the URL argument
    }
    DataSetCache data_sets;
    std::vector<SpecProblem> found;
    compile_request_model(spec, url, !spec.keepalive || *spec.keepalive != "false", data_sets,
                          found);
    for (SpecProblem& problem : found)
        problems.add(problem.where, std::move(problem.what), std::move(problem.hint));
}

}  // namespace

void apply_request_script(const std::string& path, LoadSpec& spec) {
    const std::string text = read_file(path, "--script");
    ProblemList problems;
    std::optional<DocNode> document = parse_document(text, path, problems);
    if (document && !document->is_map()) {
        problems.add(
            document->where,
            fmt::format("a script is a map of settings, got {}", kind_name(document->kind)),
            "start with path:, mix: or sequence: (see docs/requests.md)");
    } else if (document) {
        DocNode script = without_flag_keys(*document, problems);
        check_map(script, script_schema(), problems);
        check_request_shapes(script, problems);
        if (problems.empty()) {
            LoadSpec merged = merged_spec(script, path, spec);
            check_model(merged, problems);
            if (problems.empty())
                spec = std::move(merged);
        }
    }
    if (!problems.empty())
        throw MatrixError(problems.sorted());
}

}  // namespace benchctl
