#include "results/cell_record.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

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

CellStatus parse_status(const std::string& text, const std::string& where) {
    if (text == "done")
        return CellStatus::done;
    if (text == "failed")
        return CellStatus::failed;
    if (text == "interrupted")
        return CellStatus::interrupted;
    throw UserError(fmt::format("unknown cell status '{}'", text), where,
                    "expected done, failed or interrupted");
}

nlohmann::json parameters_json(const std::vector<AxisValue>& values) {
    nlohmann::json parameters = nlohmann::json::array();
    for (const AxisValue& value : values) {
        parameters.push_back({{"axis", value.axis},
                              {"name", value.name},
                              {"label", value.label},
                              {"fields", value.fields}});
    }
    return parameters;
}

nlohmann::json resources_json(const ResourceUsage& usage) {
    return {{"cpu_seconds", usage.cpu_seconds},
            {"average_cpu_percent", usage.average_cpu_percent},
            {"peak_rss_bytes", usage.peak_rss_bytes},
            {"samples", usage.samples},
            {"wall_seconds", usage.wall_seconds}};
}

// Reads doc[key] as T, or throws naming the field.
template <typename T>
T field(const nlohmann::json& doc, const char* key, const std::string& where) {
    auto it = doc.find(key);
    if (it == doc.end()) {
        throw UserError(fmt::format("field '{}' is missing", key), where,
                        "the file is not a complete benchctl.cell/1 document");
    }
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw UserError(fmt::format("field '{}' has the wrong type", key), where,
                        "the file is not a valid benchctl.cell/1 document");
    }
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
          {"log_file", record.log_file},
          {"ready_seconds", record.ready_seconds},
          {"warmup_seconds", record.warmup_seconds},
          {"stopped_gracefully", record.stopped_gracefully},
          {"killed_processes", record.killed_processes},
          {"process_tracking", record.process_tracking},
          {"resources",
           record.resources ? resources_json(*record.resources) : nlohmann::json(nullptr)}}},
        {"started_at", record.started_at},
        {"ended_at", record.ended_at},
        {"load", record.load ? *record.load : nlohmann::json(nullptr)},
    };
    return doc;
}

CellRecord cell_record_from_json(const nlohmann::json& doc, const std::string& where) {
    if (!doc.is_object() || doc.value("schema", "") != k_cell_schema) {
        throw UserError("not a benchctl.cell/1 document", where,
                        "point at a cell file written by benchctl run");
    }
    CellRecord record;
    record.cell_id = field<std::string>(doc, "cell", where);
    record.repetition = field<unsigned>(doc, "repetition", where);
    for (const auto& p : field<nlohmann::json>(doc, "parameters", where)) {
        record.parameters.push_back({field<std::string>(p, "axis", where),
                                     field<std::string>(p, "name", where),
                                     field<std::string>(p, "label", where),
                                     p.value("fields", std::map<std::string, std::string>{})});
    }
    record.status = parse_status(field<std::string>(doc, "status", where), where);
    if (const auto& failure = doc.value("failure", nlohmann::json()); failure.is_object()) {
        record.failure_reason = failure.value("reason", "");
        record.log_tail = failure.value("log_tail", "");
    }
    const auto target = field<nlohmann::json>(doc, "target", where);
    record.command = target.value("command", std::vector<std::string>{});
    record.port = target.value("port", std::uint16_t{0});
    record.log_file = target.value("log_file", "");
    record.ready_seconds = target.value("ready_seconds", 0.0);
    record.warmup_seconds = target.value("warmup_seconds", 0.0);
    record.stopped_gracefully = target.value("stopped_gracefully", true);
    record.killed_processes = target.value("killed_processes", 0u);
    record.process_tracking = target.value("process_tracking", "");
    if (const auto& r = target.value("resources", nlohmann::json()); r.is_object()) {
        record.resources =
            ResourceUsage{r.value("cpu_seconds", 0.0), r.value("average_cpu_percent", 0.0),
                          r.value("peak_rss_bytes", std::uint64_t{0}),
                          r.value("samples", std::uint64_t{0}), r.value("wall_seconds", 0.0)};
    }
    record.started_at = doc.value("started_at", "");
    record.ended_at = doc.value("ended_at", "");
    if (const auto& load = doc.value("load", nlohmann::json()); load.is_object())
        record.load = load;
    return record;
}

std::string cell_file_name(const std::string& cell_id, unsigned repetition, unsigned repeat) {
    if (repeat <= 1)
        return cell_id + ".json";
    return fmt::format("{}.rep{}.json", cell_id, repetition);
}

}  // namespace benchctl
