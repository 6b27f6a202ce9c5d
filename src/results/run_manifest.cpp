#include "results/run_manifest.hpp"

#include "util/error.hpp"

namespace benchctl {

namespace {

nlohmann::json axes_json(const std::vector<Axis>& axes) {
    nlohmann::json out = nlohmann::json::array();
    for (const Axis& axis : axes) {
        nlohmann::json values = nlohmann::json::array();
        for (const AxisValue& value : axis.values) {
            values.push_back(
                {{"name", value.name}, {"label", value.label}, {"fields", value.fields}});
        }
        out.push_back({{"name", axis.name}, {"values", values}});
    }
    return out;
}

std::vector<Axis> axes_from_json(const nlohmann::json& doc) {
    std::vector<Axis> axes;
    for (const auto& a : doc) {
        Axis axis{a.value("name", ""), {}};
        for (const auto& v : a.value("values", nlohmann::json::array())) {
            axis.values.push_back({axis.name, v.value("name", ""), v.value("label", ""),
                                   v.value("fields", std::map<std::string, std::string>{})});
        }
        axes.push_back(std::move(axis));
    }
    return axes;
}

}  // namespace

nlohmann::json to_json(const RunManifest& m) {
    nlohmann::json cells = nlohmann::json::array();
    for (const ManifestEntry& e : m.cells) {
        cells.push_back({{"cell", e.cell_id},
                         {"repetition", e.repetition},
                         {"status", e.status},
                         {"file", e.file},
                         {"reason", e.reason}});
    }
    return {{"schema", k_run_schema},
            {"run_id", m.run_id},
            {"status", m.status},
            {"matrix",
             {{"path", m.matrix_path},
              {"sha256", m.matrix_sha256},
              {"name", m.matrix_name},
              {"title", m.matrix_title},
              {"overrides", m.overrides},
              {"axes", axes_json(m.axes)},
              {"text", m.matrix_text}}},
            {"host", to_json(m.host)},
            {"benchctl", {{"version", m.benchctl_version}, {"git_revision", m.benchctl_revision}}},
            {"tool_versions", m.tool_versions},
            {"started_at", m.started_at},
            {"ended_at", m.ended_at},
            {"cells", cells}};
}

RunManifest run_manifest_from_json(const nlohmann::json& doc, const std::string& where) {
    if (!doc.is_object() || doc.value("schema", "") != k_run_schema) {
        throw UserError("not a benchctl.run/1 manifest", where,
                        "point at a run directory written by benchctl run");
    }
    try {
        RunManifest m;
        m.run_id = doc.at("run_id").get<std::string>();
        m.status = doc.at("status").get<std::string>();
        const auto& matrix = doc.at("matrix");
        m.matrix_path = matrix.at("path").get<std::string>();
        m.matrix_sha256 = matrix.at("sha256").get<std::string>();
        m.matrix_name = matrix.value("name", "");
        m.matrix_title = matrix.value("title", "");
        m.overrides = matrix.value("overrides", std::vector<std::string>{});
        m.axes = axes_from_json(matrix.value("axes", nlohmann::json::array()));
        m.matrix_text = matrix.value("text", "");
        const auto& host = doc.value("host", nlohmann::json::object());
        m.host = {host.value("hostname", ""), host.value("cpu_model", ""), host.value("cores", 0u),
                  host.value("memory_bytes", std::uint64_t{0}), host.value("kernel", "")};
        m.benchctl_version = doc.at("benchctl").value("version", "");
        m.benchctl_revision = doc.at("benchctl").value("git_revision", "");
        m.tool_versions = doc.value("tool_versions", std::map<std::string, std::string>{});
        m.started_at = doc.value("started_at", "");
        m.ended_at = doc.value("ended_at", "");
        for (const auto& c : doc.at("cells")) {
            m.cells.push_back({c.at("cell").get<std::string>(), c.at("repetition").get<unsigned>(),
                               c.at("status").get<std::string>(), c.value("file", ""),
                               c.value("reason", "")});
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw UserError(std::string("malformed manifest: ") + e.what(), where,
                        "the manifest was edited or is not from benchctl run");
    }
}

}  // namespace benchctl
