#include "compare/sample_set.hpp"

#include <fmt/format.h>

#include <ctime>

#include "report/model/cell_grouping.hpp"
#include "report/model/repeated_cell.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

// "2026-11-23T11:03:00.123Z" (or without the fraction) as seconds since the epoch.
std::chrono::sys_seconds parse_utc(const std::string& text, const std::string& where) {
    std::tm utc{};
    const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &utc);
    if (end == nullptr) {
        throw UserError(fmt::format("the run's start time '{}' is not a UTC timestamp", text),
                        where, "the manifest is damaged; restore it");
    }
    return std::chrono::sys_seconds(std::chrono::seconds(timegm(&utc)));
}

}  // namespace

const std::vector<double>& CellSamples::of(Metric metric) const {
    static const std::vector<double> k_none;
    const auto found = samples.find(metric);
    return found == samples.end() ? k_none : found->second;
}

const CellSamples* SampleSet::find(const std::string& cell_id) const {
    for (const CellSamples& cell : cells) {
        if (cell.cell_id == cell_id)
            return &cell;
    }
    return nullptr;
}

MachineFingerprint fingerprint_of(const RunManifest& manifest) {
    return {manifest.host.cpu_model, manifest.host.cores, manifest.host.kernel,
            manifest.benchctl_version};
}

SampleSet samples_of_run(const RunReport& run) {
    SampleSet set{SampleSource::run,
                  run.directory,
                  run.manifest.run_id,
                  run.manifest.labels,
                  fingerprint_of(run.manifest),
                  {}};
    const std::vector<std::string> order = grouping_order(run.manifest.axes, {});
    for (const RepeatedCell& repeated :
         group_repetitions(ordered_cells(run, order), k_default_noise_limit)) {
        CellSamples cell{repeated.cell_id, repeated.repetitions.size(), repeated.measured, 0, {}};
        for (const CellReport* repetition : repeated.repetitions) {
            if (repetition->status == EntryStatus::failed ||
                repetition->status == EntryStatus::interrupted) {
                ++cell.failed;
            }
        }
        for (const MetricDescriptor& descriptor : metric_descriptors()) {
            if (!repeated.samples_of(descriptor.metric).empty())
                cell.samples[descriptor.metric] = repeated.samples_of(descriptor.metric);
        }
        set.cells.push_back(std::move(cell));
    }
    return set;
}

HistoryRun history_run_of(const RunReport& run, const std::map<std::string, std::string>& labels) {
    HistoryRun stored;
    stored.run_id = run.manifest.run_id;
    stored.started_at = parse_utc(run.manifest.started_at, run.directory + "/manifest.json");
    stored.labels = run.manifest.labels;
    for (const auto& [key, value] : labels)
        stored.labels[key] = value;
    stored.machine = fingerprint_of(run.manifest);
    for (const CellSamples& cell : samples_of_run(run).cells) {
        MetricSamples& metrics = stored.cells[cell.cell_id];
        for (const auto& [metric, values] : cell.samples)
            metrics[describe(metric).name] = values;
    }
    return stored;
}

}  // namespace benchctl
