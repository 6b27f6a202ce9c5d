#include "results/run_manifest.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "results/axis_json.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

constexpr const char* k_manifest_read_hint = "the manifest was edited or is not from benchctl run";

using Strings = std::vector<std::string>;
using StringMap = std::map<std::string, std::string>;

nlohmann::json entry_json(const ManifestEntry& entry) {
    return {{"cell", entry.cell_id},
            {"repetition", entry.repetition},
            {"status", entry_status_name(entry.status)},
            {"file", entry.file},
            {"reason", entry.reason}};
}

// A cell's file is read relative to the run directory: a path that leaves it (absolute, "..")
// would have --resume and report read, and move aside, files elsewhere.
std::string confined_file(const JsonField& entry) {
    const std::string file = entry.get_or("file", std::string());
    if (file.empty())
        return file;
    const std::filesystem::path path(file);
    const std::string normal = path.lexically_normal().string();
    if (path.is_absolute() || normal != file || normal == ".." || normal.starts_with("../"))
        entry["file"].fail(
            fmt::format("('{}') must be a path inside the run directory, such as "
                        "cells/<cell>.json",
                        file));
    return file;
}

ManifestEntry entry_from_json(const JsonField& entry) {
    // In the order of EntryStatus.
    const std::size_t status =
        entry["status"].as_choice({"pending", "done", "failed", "interrupted"});
    return {entry["cell"].as_string(), entry["repetition"].as_unsigned<unsigned>(),
            static_cast<EntryStatus>(status), confined_file(entry),
            entry.get_or("reason", std::string())};
}

nlohmann::json service_json(const ManifestService& service) {
    return {{"name", service.name}, {"kind", service.kind}, {"version", service.version},
            {"port", service.port}, {"data", service.data}, {"keep_data", service.keep_data}};
}

// Absent in manifests written before services were recorded.
std::vector<ManifestService> manifest_services_from_json(const JsonField& root) {
    std::vector<ManifestService> services;
    std::optional<JsonField> list = root.find("services");
    if (!list || list->is_null())
        return services;
    for (const JsonField& entry : list->elements()) {
        services.push_back({entry["name"].as_string(), entry.get_or("kind", std::string()),
                            entry.get_or("version", std::string()),
                            entry.get_or("port", std::uint16_t{0}),
                            entry.get_or("data", std::string()), entry.get_or("keep_data", false)});
    }
    return services;
}

nlohmann::json optional_json(const std::optional<int>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json step_json(const StepRecord& step) {
    return {
        {"name", step.name},
        {"kind", step.kind},
        {"status", step.status},
        {"exit_code", optional_json(step.exit_code)},
        {"http_status", optional_json(step.http_status)},
        {"seconds", step.seconds},
        {"captures", step.captures},
        {"failure", step.failure.empty() ? nlohmann::json(nullptr) : nlohmann::json(step.failure)},
        {"output", step.output},
        {"log", step.log}};
}

std::optional<int> optional_int(const JsonField& entry, const char* key) {
    std::optional<JsonField> field = entry.find(key);
    if (!field || field->is_null())
        return std::nullopt;
    return static_cast<int>(field->as_unsigned<unsigned>());
}

// Absent in manifests written before setup steps existed.
std::vector<StepRecord> steps_from_json(const JsonField& root) {
    std::vector<StepRecord> steps;
    std::optional<JsonField> list = root.find("setup");
    if (!list || list->is_null())
        return steps;
    for (const JsonField& entry : list->elements()) {
        StepRecord step;
        step.name = entry["name"].as_string();
        step.kind = entry.get_or("kind", std::string());
        step.status = entry["status"].as_string();
        step.exit_code = optional_int(entry, "exit_code");
        step.http_status = optional_int(entry, "http_status");
        step.seconds = entry.get_or("seconds", 0.0);
        step.captures = entry.get_or("captures", StringMap{});
        step.failure = entry.get_or("failure", std::string());
        step.output = entry.get_or("output", std::string());
        step.log = entry.get_or("log", std::string());
        steps.push_back(std::move(step));
    }
    return steps;
}

void read_matrix(const JsonField& matrix, RunManifest& m) {
    m.matrix_path = matrix["path"].as_string();
    m.matrix_absolute_path = matrix.get_or("absolute_path", std::string());
    m.matrix_sha256 = matrix.get_or("sha256", std::string());
    m.matrix_name = matrix.get_or("name", std::string());
    m.matrix_title = matrix.get_or("title", std::string());
    m.overrides = matrix.get_or("overrides", Strings{});
    m.only = matrix.get_or("only", Strings{});
    if (const std::optional<JsonField> axes = matrix.find("axes"))
        m.axes = axes_from_json(*axes);
    m.matrix_text = matrix.get_or("text", std::string());
}

}  // namespace

std::string run_lock_path(const std::string& run_dir) {
    return (std::filesystem::path(run_dir) / "run.lock").string();
}

const char* entry_status_name(EntryStatus status) {
    switch (status) {
        case EntryStatus::pending:
            return "pending";
        case EntryStatus::done:
            return "done";
        case EntryStatus::failed:
            return "failed";
        case EntryStatus::interrupted:
            return "interrupted";
    }
    return "pending";
}

EntryStatus entry_status(CellStatus status) {
    switch (status) {
        case CellStatus::done:
            return EntryStatus::done;
        case CellStatus::failed:
            return EntryStatus::failed;
        case CellStatus::interrupted:
            return EntryStatus::interrupted;
    }
    return EntryStatus::failed;
}

const char* run_status_name(RunStatus status) {
    switch (status) {
        case RunStatus::running:
            return "running";
        case RunStatus::complete:
            return "complete";
        case RunStatus::interrupted:
            return "interrupted";
        case RunStatus::failed:
            return "failed";
        case RunStatus::abandoned:
            return "abandoned";
    }
    return "running";
}

nlohmann::json to_json(const RunManifest& m) {
    nlohmann::json cells = nlohmann::json::array();
    for (const ManifestEntry& entry : m.cells)
        cells.push_back(entry_json(entry));
    nlohmann::json services = nlohmann::json::array();
    for (const ManifestService& service : m.services)
        services.push_back(service_json(service));
    nlohmann::json setup = nlohmann::json::array();
    for (const StepRecord& step : m.setup)
        setup.push_back(step_json(step));
    nlohmann::json doc = {
        {"schema", k_run_schema},
        {"run_id", m.run_id},
        {"status", run_status_name(m.status)},
        {"matrix",
         {{"path", m.matrix_path},
          {"absolute_path", m.matrix_absolute_path},
          {"name", m.matrix_name},
          {"title", m.matrix_title},
          {"overrides", m.overrides},
          {"only", m.only},
          {"axes", axes_json(m.axes, WithFields::yes)},
          {"text", m.matrix_text}}},
        {"host", to_json(m.host)},
        {"benchctl", {{"version", m.benchctl_version}, {"git_revision", m.benchctl_revision}}},
        {"tool_versions", m.tool_versions},
        {"labels", m.labels},
        {"services", services},
        {"setup", setup},
        {"started_at", m.started_at},
        {"ended_at", m.ended_at},
        {"failure", m.failure.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.failure)},
        {"cells", cells}};
    // An older manifest's hash is kept when --resume rewrites it; new runs have none.
    if (!m.matrix_sha256.empty())
        doc["matrix"]["sha256"] = m.matrix_sha256;
    if (m.hosts)
        doc["hosts"] = *m.hosts;
    return doc;
}

RunManifest run_manifest_from_json(const nlohmann::json& doc, const std::string& where) {
    if (!doc.is_object() || doc.value("schema", "") != k_run_schema) {
        throw UserError("not a benchctl.run/1 manifest", where,
                        "point at a run directory written by benchctl run");
    }
    const JsonField root(doc, where, k_manifest_read_hint);
    RunManifest m;
    m.run_id = root["run_id"].as_string();
    // In the order of RunStatus.
    m.status = static_cast<RunStatus>(
        root["status"].as_choice({"running", "complete", "interrupted", "failed", "abandoned"}));
    read_matrix(root["matrix"], m);
    if (const std::optional<JsonField> host = root.find("host"))
        m.host = host_info_from_json(*host);
    const JsonField benchctl = root["benchctl"];
    m.benchctl_version = benchctl.get_or("version", std::string());
    m.benchctl_revision = benchctl.get_or("git_revision", std::string());
    m.tool_versions = root.get_or("tool_versions", StringMap{});
    m.labels = root.get_or("labels", StringMap{});
    m.services = manifest_services_from_json(root);
    if (const std::optional<JsonField> hosts = root.find("hosts");
        hosts && hosts->value().is_object())
        m.hosts = hosts->value();
    m.setup = steps_from_json(root);
    m.started_at = root.get_or("started_at", std::string());
    m.ended_at = root.get_or("ended_at", std::string());
    m.failure = root.get_or("failure", std::string());
    for (const JsonField& entry : root["cells"].elements())
        m.cells.push_back(entry_from_json(entry));
    return m;
}

}  // namespace benchctl
