// The matrix file's passes, in order: parse the YAML, lay the --set overrides over it, check
// the top level, read services and axes, expand the axes into cells, build and check each cell.
// Every pass adds what it finds to one ProblemList, so one run reports every problem.

#include "matrix/matrix_loader.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "load/request_compiler.hpp"
#include "matrix/cell_builder.hpp"
#include "matrix/document_merge.hpp"
#include "matrix/file_name_limits.hpp"
#include "matrix/host_reader.hpp"
#include "matrix/matrix_error.hpp"
#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "matrix/setting_override.hpp"
#include "matrix/step_reader.hpp"
#include "matrix/variable_scope.hpp"
#include "util/duration.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

constexpr std::size_t k_cells_named_at_most = 5;

const DocEntry* find_entry(const DocNode& map, std::string_view key) {
    const DocEntry* found = nullptr;
    for (const DocEntry& entry : map.entries) {
        if (entry.key == key)
            found = &entry;
    }
    return found;
}

// An empty map located at the top-level key `key` (or the file's start), for cells to build on.
DocNode section_or_empty(const DocNode& document, std::string_view key) {
    if (const DocEntry* entry = find_entry(document, key);
        entry != nullptr && entry->value.is_map()) {
        return entry->value;
    }
    DocNode empty;
    empty.kind = DocNode::Kind::map;
    const DocEntry* entry = find_entry(document, key);
    empty.where = entry != nullptr ? entry->key_where : SourceLocation{document.where.file, 1, 1};
    return empty;
}

// Lays every --set over the document; keeps the target.* and load.* ones for the cells too.
void apply_overrides(DocNode& document, const std::vector<SettingOverride>& overrides,
                     CellDefaults& defaults, ProblemList& problems) {
    for (const SettingOverride& setting : overrides) {
        std::optional<DocNode> over = override_document(setting, document, problems);
        if (!over)
            continue;
        if (const DocNode* target = over->find("target"))
            defaults.target_sets.push_back(*target);
        if (const DocNode* load = over->find("load"))
            defaults.load_sets.push_back(*load);
        if (const DocNode* thresholds = over->find("thresholds"))
            defaults.threshold_sets.push_back(*thresholds);
        document = merge_documents(document, *over);
    }
}

void read_header(const DocNode& document, Matrix& matrix, ProblemList& problems) {
    const DocNode* name = document.find("name");
    if (name == nullptr) {
        problems.add({matrix.file, 1, 1}, "missing key 'name'",
                     "add name: <matrix name> (lowercase letters, digits, '-' and '_'); results "
                     "land in results/<time>-<name>/");
    } else if (name->is_scalar()) {
        matrix.name = name->scalar;
    }
    const DocNode* title = document.find("title");
    matrix.title = title != nullptr && title->is_scalar() ? title->scalar : matrix.name;
    const DocNode* description = document.find("description");
    if (description != nullptr && description->is_scalar())
        matrix.description = description->scalar;
    if (const DocNode* repeat = document.find("repeat"); repeat != nullptr && repeat->is_scalar()) {
        try {
            matrix.repeat = static_cast<unsigned>(std::stoul(repeat->scalar));
        } catch (const std::exception&) {
            // Reported by check_map.
        }
    }
    if (const DocNode* cooldown = document.find("cooldown");
        cooldown != nullptr && cooldown->is_scalar()) {
        try {
            matrix.cooldown = parse_duration(cooldown->scalar, "cooldown");
        } catch (const std::exception&) {
            // Reported by check_map.
        }
    }
}

std::vector<std::string> reserved_names(const std::vector<ServiceSpec>& services) {
    std::vector<std::string> names{"port", "app_port", "run_dir", "cell", "env", "setup"};
    for (const ServiceSpec& service : services)
        names.push_back(service.name);
    return names;
}

std::vector<ServiceName> service_names(const std::vector<ServiceSpec>& services) {
    std::vector<ServiceName> names;
    for (const ServiceSpec& service : services) {
        names.push_back(
            {service.name, service.config ? std::optional(service.config->kind) : std::nullopt});
    }
    return names;
}

// `verify:` as check_map left it (malformed values were reported there and keep the defaults);
// nullopt when absent.
std::optional<VerifySpec> read_verify(const DocNode* verify) {
    if (verify == nullptr || verify->kind == DocNode::Kind::null)
        return std::nullopt;
    VerifySpec spec;
    if (!verify->is_map())
        return spec;
    auto scalar = [&](const char* key) -> std::optional<std::string> {
        const DocNode* node = verify->find(key);
        return node != nullptr && node->is_scalar() ? std::optional(node->scalar) : std::nullopt;
    };
    try {
        if (std::optional<std::string> count = scalar("count"))
            spec.count = static_cast<unsigned>(std::stoul(*count));
        if (std::optional<std::string> status = scalar("status"))
            spec.status = std::stoi(*status);
    } catch (const std::exception&) {
        // Reported by check_map.
    }
    spec.body_regex = scalar("body_regex");
    spec.json_key = scalar("json_key");
    return spec;
}

// What a setup step may use: the services' variables and ${run_dir}; no cell's ${port} or ${cell}.
Variables setup_variables(const Matrix& matrix) {
    Variables variables = runtime_variables(service_names(matrix.services));
    variables.erase("port");
    variables.erase("cell");
    variables.erase("target.host");
    return variables;
}

void report_missing_commands(const std::vector<std::string>& cells, const DocNode& document,
                             const Matrix& matrix, ProblemList& problems) {
    if (cells.empty())
        return;
    const DocEntry* target = find_entry(document, "target");
    SourceLocation where =
        target != nullptr ? target->key_where : SourceLocation{matrix.file, 1, 1};
    std::vector<std::string> named(
        cells.begin(),
        cells.begin() + static_cast<long>(std::min(cells.size(), k_cells_named_at_most)));
    std::string list = fmt::format("{}", fmt::join(named, ", "));
    if (cells.size() > named.size())
        list += fmt::format(" and {} more", cells.size() - named.size());
    problems.add(where,
                 fmt::format("no target command for {} cell{}: {}", cells.size(),
                             cells.size() == 1 ? "" : "s", list),
                 "add target.command (an argv list) or target.shell at the top level or to an "
                 "axis value");
}

void read_matrix(DocNode document, const MatrixOptions& options, Matrix& matrix,
                 ProblemList& problems) {
    CellDefaults defaults;
    defaults.directory = matrix.directory;
    DataSetCache data_sets;
    defaults.data_sets = &data_sets;
    std::optional<HostCheck> host;
    if (options.host_checks == HostChecks::yes)
        defaults.host = &host.emplace(matrix.directory);
    apply_overrides(document, options.overrides, defaults, problems);
    check_map(document, top_level_schema(), problems);
    read_header(document, matrix, problems);
    matrix.hosts = read_hosts(document.find("hosts"), problems);
    defaults.hosts = matrix.hosts;
    matrix.services =
        build_services(document.find("services"), matrix.hosts, problems, defaults.host);
    matrix.setup = read_setup_steps(document.find("setup"), setup_variables(matrix), problems);
    defaults.runtime = runtime_variables(service_names(matrix.services));
    defaults.runtime.merge(capture_variables(matrix.setup));
    matrix.before =
        read_cell_steps(document.find("before"), StepSection::before, defaults.runtime, problems);
    matrix.after =
        read_cell_steps(document.find("after"), StepSection::after, defaults.runtime, problems);
    matrix.verify = read_verify(document.find("verify"));
    // A target with companions listens on ${app_port} (cells only: steps run without one).
    defaults.runtime["app_port"] = "8081";
    std::vector<AxisSource> axes;
    if (const DocNode* axes_node = document.find("axes")) {
        axes = read_axes(*axes_node, reserved_names(matrix.services), defaults.runtime, problems);
    } else {
        problems.add(
            {matrix.file, 1, 1}, "missing key 'axes'",
            "add axes: with one list of values per axis, e.g. axes: {mode: [sync, async]}");
    }
    const DocEntry* axes_entry = find_entry(document, "axes");
    ExpansionInput expansion{
        document.find("exclude"), document.find("include"), options.only,
        axes_entry != nullptr ? axes_entry->key_where : SourceLocation{matrix.file, 1, 1}};
    std::vector<CellPlan> plans =
        axes_entry != nullptr ? expand_axes(axes, expansion, problems) : std::vector<CellPlan>{};
    defaults.axis_fields = field_names(axes);
    defaults.target = section_or_empty(document, "target");
    defaults.load = section_or_empty(document, "load");
    defaults.thresholds = section_or_empty(document, "thresholds");
    std::vector<std::string> without_command;
    for (const CellPlan& plan : plans) {
        bool has_command = true;
        matrix.cells.push_back(build_cell(plan, axes, defaults, problems, has_command));
        if (!has_command)
            without_command.push_back(matrix.cells.back().id);
    }
    report_missing_commands(without_command, document, matrix, problems);
    const DocEntry* name = find_entry(document, "name");
    check_file_name_lengths(matrix, axes,
                            name != nullptr ? name->value.where : SourceLocation{matrix.file, 1, 1},
                            document.find("services"), problems);
    matrix.axes = to_axes(axes);
}

}  // namespace

Matrix load_matrix(const std::string& path, const MatrixOptions& options) {
    return load_matrix_text(read_file(path, path), path, options);
}

Matrix load_matrix_text(const std::string& text, const std::string& path,
                        const MatrixOptions& options) {
    Matrix matrix;
    matrix.file = path;
    matrix.directory = std::filesystem::path(path).parent_path().string();
    matrix.text = text;
    ProblemList problems;
    if (std::optional<DocNode> document = parse_document(text, path, problems)) {
        if (document->is_map()) {
            read_matrix(std::move(*document), options, matrix, problems);
        } else {
            problems.add(document->where,
                         fmt::format("a matrix file is a map of settings, got {}",
                                     kind_name(document->kind)),
                         "start with 'name:', 'axes:' and 'target:' (see docs/matrix.md)");
        }
    }
    if (!problems.empty())
        throw MatrixError(problems.sorted());
    return matrix;
}

}  // namespace benchctl
