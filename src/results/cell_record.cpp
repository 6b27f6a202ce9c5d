#include "results/cell_record.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "results/axis_json.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace benchctl {

const char* cell_status_name(CellStatus status) {
    switch (status) {
        case CellStatus::done:
            return "done";
        case CellStatus::failed:
            return "failed";
        case CellStatus::interrupted:
            return "interrupted";
    }
    return "failed";
}

namespace {

constexpr const char* k_read_hint =
    "the file is not a complete benchctl.cell/1 document; restore it";

nlohmann::json resources_json(const ResourceUsage& usage) {
    return {{"cpu_seconds", usage.cpu_seconds},
            {"average_cpu_percent", usage.average_cpu_percent},
            {"peak_rss_bytes", usage.peak_rss_bytes},
            {"samples", usage.samples},
            {"wall_seconds", usage.wall_seconds}};
}

ResourceUsage resources_from_json(const JsonField& field) {
    return {field.get_or("cpu_seconds", 0.0), field.get_or("average_cpu_percent", 0.0),
            field.get_or("peak_rss_bytes", std::uint64_t{0}),
            field.get_or("samples", std::uint64_t{0}), field.get_or("wall_seconds", 0.0)};
}

nlohmann::json settle_json(const SettleRecord& settle) {
    return {{"settled", settle.settled},
            {"seconds", settle.seconds},
            {"cpu_percent", settle.cpu_percent},
            {"below_percent", settle.below_percent},
            {"window_seconds", settle.window_seconds},
            {"timeout_seconds", settle.timeout_seconds}};
}

SettleRecord settle_from_json(const JsonField& field) {
    return {field["settled"].as_bool(),          field.get_or("seconds", 0.0),
            field.get_or("cpu_percent", 0.0),    field.get_or("below_percent", 0.0),
            field.get_or("window_seconds", 0.0), field.get_or("timeout_seconds", 0.0)};
}

std::vector<unsigned> cpus_from_json(const std::optional<JsonField>& field) {
    std::vector<unsigned> cpus;
    if (field) {
        for (const JsonField& cpu : field->elements())
            cpus.push_back(cpu.as_unsigned<unsigned>());
    }
    return cpus;
}

nlohmann::json client_json(const CellRecord& record) {
    nlohmann::json threads = nlohmann::json::array();
    for (const ThreadUsage& usage : record.client_threads) {
        threads.push_back({{"cpu_seconds", usage.cpu_seconds},
                           {"wall_seconds", usage.wall_seconds},
                           {"busy_percent", usage.busy_fraction() * 100}});
    }
    return {{"cpus", record.load_cpus}, {"threads", threads}};
}

void read_client(const JsonField& client, CellRecord& record) {
    record.load_cpus = cpus_from_json(client.find("cpus"));
    if (const std::optional<JsonField> threads = client.find("threads")) {
        for (const JsonField& thread : threads->elements()) {
            record.client_threads.push_back(
                {thread["cpu_seconds"].as_double(), thread["wall_seconds"].as_double()});
        }
    }
}

nlohmann::json warnings_json(const std::vector<CellWarning>& warnings) {
    nlohmann::json list = nlohmann::json::array();
    for (const CellWarning& warning : warnings) {
        list.push_back({{"code", warning.code},
                        {"severity", warning_severity_name(warning.severity)},
                        {"message", warning.message}});
    }
    return list;
}

// In the order of WarningSeverity.
std::vector<CellWarning> warnings_from_json(const JsonField& list) {
    std::vector<CellWarning> warnings;
    for (const JsonField& item : list.elements()) {
        warnings.push_back(
            {item["code"].as_string(),
             static_cast<WarningSeverity>(item["severity"].as_choice({"note", "suspect"})),
             item["message"].as_string()});
    }
    return warnings;
}

// In the order of CellStatus.
CellStatus read_cell_status(const JsonField& field) {
    return static_cast<CellStatus>(field.as_choice({"done", "failed", "interrupted"}));
}

// The target block; every member but the object itself may be missing in an older document.
void read_target(const JsonField& target, CellRecord& record) {
    record.command = target.get_or("command", std::vector<std::string>{});
    record.port = target.get_or("port", std::uint16_t{0});
    if (const std::optional<JsonField> app_port = target.find("app_port");
        app_port && !app_port->is_null())
        record.app_port = app_port->as_unsigned<std::uint16_t>();
    record.log_file = target.get_or("log_file", std::string());
    record.ready_seconds = target.get_or("ready_seconds", 0.0);
    record.warmup_seconds = target.get_or("warmup_seconds", 0.0);
    record.stopped_gracefully = target.get_or("stopped_gracefully", true);
    record.killed_processes = target.get_or("killed_processes", 0u);
    record.process_tracking = target.get_or("process_tracking", std::string());
    record.shared_target = target.get_or("shared", false);
    if (const std::optional<JsonField> resources = target.find("resources"))
        record.resources = resources_from_json(*resources);
    record.target_cpus = cpus_from_json(target.find("cpus"));
    if (const std::optional<JsonField> settle = target.find("settle"))
        record.settle = settle_from_json(*settle);
}

nlohmann::json thresholds_json(const std::vector<ThresholdResult>& results) {
    nlohmann::json list = nlohmann::json::array();
    for (const ThresholdResult& result : results) {
        list.push_back({{"metric", result.metric},
                        {"expression", result.expression},
                        {"value", result.value ? nlohmann::json(*result.value) : nullptr},
                        {"passed", result.passed}});
    }
    return list;
}

nlohmann::json services_json(const std::vector<ServiceUsage>& services) {
    nlohmann::json list = nlohmann::json::array();
    for (const ServiceUsage& service : services) {
        list.push_back({{"name", service.name},
                        {"kind", service.kind},
                        {"resources", resources_json(service.resources)}});
    }
    return list;
}

// Cell documents written before thresholds existed have none.
std::vector<ThresholdResult> thresholds_from_json(const JsonField& root) {
    std::vector<ThresholdResult> results;
    const std::optional<JsonField> list = root.find("thresholds");
    if (!list)
        return results;
    for (const JsonField& item : list->elements()) {
        results.push_back({item["metric"].as_string(), item["expression"].as_string(),
                           item["value"].as_optional_double(), item["passed"].as_bool()});
    }
    return results;
}

nlohmann::json checks_json(const std::vector<CheckRecord>& checks) {
    nlohmann::json list = nlohmann::json::array();
    for (const CheckRecord& check : checks) {
        list.push_back({{"name", check.name},
                        {"passed", check.passed},
                        {"expected", check.expected},
                        {"actual", check.actual},
                        {"failure", check.failure.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(check.failure)}});
    }
    return list;
}

// Cell documents written before checks existed have none.
std::vector<CheckRecord> checks_from_json(const JsonField& root) {
    std::vector<CheckRecord> checks;
    const std::optional<JsonField> list = root.find("checks");
    if (!list || list->is_null())
        return checks;
    for (const JsonField& item : list->elements()) {
        checks.push_back({item["name"].as_string(), item["passed"].as_bool(),
                          item.get_or("expected", std::string()),
                          item.get_or("actual", std::string()),
                          item.get_or("failure", std::string())});
    }
    return checks;
}

// Absent in documents written before services (or companions) were sampled.
std::vector<ServiceUsage> services_from_json(const JsonField& root, const char* key = "services") {
    std::vector<ServiceUsage> services;
    std::optional<JsonField> list = root.find(key);
    if (!list || list->is_null())
        return services;
    for (const JsonField& entry : list->elements()) {
        services.push_back({entry["name"].as_string(), entry.get_or("kind", std::string()),
                            resources_from_json(entry["resources"])});
    }
    return services;
}

}  // namespace

nlohmann::json to_json(const CellRecord& record) {
    nlohmann::json doc = {
        {"schema", k_cell_schema},
        {"cell", record.cell_id},
        {"repetition", record.repetition},
        {"parameters", parameters_json(record.parameters)},
        {"status", cell_status_name(record.status)},
        {"failure",
         record.status == CellStatus::done
             ? nlohmann::json(nullptr)
             : nlohmann::json{{"reason", record.failure_reason}, {"log_tail", record.log_tail}}},
        {"target",
         {{"command", record.command},
          {"port", record.port},
          {"app_port", record.app_port != 0 ? nlohmann::json(record.app_port) : nullptr},
          {"log_file", record.log_file},
          {"ready_seconds", record.ready_seconds},
          {"warmup_seconds", record.warmup_seconds},
          {"stopped_gracefully", record.stopped_gracefully},
          {"killed_processes", record.killed_processes},
          {"process_tracking", record.process_tracking},
          {"shared", record.shared_target},
          {"resources",
           record.resources ? resources_json(*record.resources) : nlohmann::json(nullptr)},
          {"cpus", record.target_cpus},
          {"settle", record.settle ? settle_json(*record.settle) : nlohmann::json(nullptr)}}},
        {"client", client_json(record)},
        {"services", services_json(record.services)},
        {"companions", services_json(record.companions)},
        {"started_at", record.started_at},
        {"ended_at", record.ended_at},
        {"load", record.load ? *record.load : nlohmann::json(nullptr)},
        {"warnings", warnings_json(record.warnings)},
        {"thresholds", thresholds_json(record.thresholds)},
        {"checks", checks_json(record.checks)},
    };
    if (record.agents)
        doc["agents"] = *record.agents;
    return doc;
}

CellRecord cell_record_from_json(const nlohmann::json& doc, const std::string& where) {
    if (!doc.is_object() || doc.value("schema", "") != k_cell_schema) {
        throw UserError("not a benchctl.cell/1 document", where,
                        "point at a cell file written by benchctl run");
    }
    const JsonField root(doc, where, k_read_hint);
    CellRecord record;
    record.cell_id = root["cell"].as_string();
    record.repetition = root["repetition"].as_unsigned<unsigned>();
    record.parameters = parameters_from_json(root["parameters"]);
    record.status = read_cell_status(root["status"]);
    if (const std::optional<JsonField> failure = root.find("failure")) {
        record.failure_reason = failure->get_or("reason", std::string());
        record.log_tail = failure->get_or("log_tail", std::string());
    }
    read_target(root["target"], record);
    record.services = services_from_json(root);
    record.companions = services_from_json(root, "companions");
    record.started_at = root.get_or("started_at", std::string());
    record.ended_at = root.get_or("ended_at", std::string());
    if (const std::optional<JsonField> client = root.find("client"))
        read_client(*client, record);
    if (const std::optional<JsonField> load = root.find("load"))
        record.load = load->value();
    if (const std::optional<JsonField> agents = root.find("agents");
        agents && !agents->value().is_null())
        record.agents = agents->value();
    if (const std::optional<JsonField> warnings = root.find("warnings"))
        record.warnings = warnings_from_json(*warnings);
    record.thresholds = thresholds_from_json(root);
    record.checks = checks_from_json(root);
    return record;
}

std::string cell_file_name(const std::string& cell_id, unsigned repetition, unsigned repeat) {
    if (repeat <= 1)
        return cell_id + ".json";
    return fmt::format("{}.rep{}.json", cell_id, repetition);
}

}  // namespace benchctl
