#include "run_fixture.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "load/url.hpp"
#include "results/load_document.hpp"

namespace benchctl::test {

namespace fs = std::filesystem;

RunFixture::RunFixture() {
    fs::create_directories(m_dir.file("cells"));
    fs::create_directories(m_dir.file("logs"));
}

void RunFixture::add_cell(CellRecord record,
                          const std::optional<std::pair<LoadSettings, LoadResult>>& load) {
    if (load)
        record.load = to_load_document(load->first, load->second);
    const unsigned repeat = record.repetition > 1 ? record.repetition : 1;
    const std::string file = "cells/" + cell_file_name(record.cell_id, record.repetition, repeat);
    write_raw(file, to_json(record).dump(2) + "\n");
    manifest.cells.push_back({record.cell_id, record.repetition, entry_status(record.status), file,
                              record.failure_reason});
}

void RunFixture::add_pending(const std::string& cell_id, unsigned repetition) {
    manifest.cells.push_back({cell_id, repetition, EntryStatus::pending, "", ""});
}

void RunFixture::write_manifest() const {
    write_raw("manifest.json", to_json(manifest).dump(2) + "\n");
}

void RunFixture::write_raw(const std::string& relative, const std::string& text) const {
    std::ofstream out(m_dir.file(relative), std::ios::binary);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write fixture file " + relative);
}

LoadSettings duration_settings(const std::string& url, unsigned threads, unsigned connections,
                               int seconds) {
    LoadSettings settings;
    settings.url = parse_url(url, "fixture");
    settings.threads = threads;
    settings.connections = connections;
    settings.duration = std::chrono::seconds(seconds);
    return settings;
}

LoadResult result_with(std::initializer_list<std::pair<std::uint64_t, std::uint64_t>> latencies,
                       double duration_sec, std::uint64_t bytes_read) {
    LoadResult result;
    result.started_at = "2026-11-23T11:03:11.250Z";
    for (const auto& [value, count] : latencies)
        result.latency.record(value, count);
    const std::uint64_t completed = result.latency.count();
    result.requests = {completed, completed, 0, 0};
    result.status_codes = {{200, completed}};
    result.duration_sec = duration_sec;
    result.bytes_read = bytes_read;
    result.bytes_written = completed * 100;
    result.thread_requests_per_sec = {1370, 318.64, 2910, 78.31};
    return result;
}

AxisValue axis_value(const std::string& axis, const std::string& name, const std::string& label) {
    return {axis, name, label.empty() ? name : label, {}};
}

CellRecord done_record(const std::vector<AxisValue>& values, double cpu_seconds,
                       std::uint64_t peak_rss_bytes) {
    CellRecord record;
    for (const AxisValue& value : values) {
        record.cell_id += (record.cell_id.empty() ? "" : ".") + value.name;
    }
    record.parameters = values;
    record.log_file = "logs/" + record.cell_id + ".log";
    record.command = {"/usr/bin/python3", "app.py"};
    record.port = 8000;
    record.started_at = "2026-11-23T11:03:10.000Z";
    record.ended_at = "2026-11-23T11:03:22.000Z";
    record.resources = ResourceUsage{cpu_seconds, 0, peak_rss_bytes, 100, 10};
    return record;
}

namespace {

Axis axis_of(const std::string& name, const std::vector<AxisValue>& values) {
    return {name, values};
}

RunManifest three_axis_manifest(const std::vector<Axis>& axes) {
    RunManifest m;
    m.run_id = "20261123T110300Z-django-workers";
    m.status = RunStatus::complete;
    m.matrix_path = "scenarios/django-workers.yaml";
    m.matrix_sha256 = "9e3280e0d1fa80509e3280e0d1fa80509e3280e0d1fa80509e3280e0d1fa8050";
    m.matrix_name = "django-workers";
    m.matrix_title = "Django Workers";
    m.overrides = {"defaults.load.duration=10s"};
    m.axes = axes;
    m.host = {"bench-host", "Intel(R) Xeon(R) CPU @ 2.20GHz", 2, 8ULL << 30, "Linux 6.1.0 x86_64"};
    m.benchctl_version = "0.1.0";
    m.benchctl_revision = "abc1234";
    m.started_at = "2026-11-23T11:03:00Z";
    m.ended_at = "2026-11-23T11:05:00Z";
    return m;
}

}  // namespace

void build_three_axis_run(RunFixture& fixture) {
    const AxisValue gevent = axis_value("server", "gunicorn-gevent", "WSGI Gunicorn Gevent");
    const AxisValue uvicorn = axis_value("server", "uvicorn", "ASGI Gunicorn Uvicorn");
    const AxisValue hit = axis_value("endpoint", "cache_hit", "Fake redis hit");
    const AxisValue set = axis_value("endpoint", "cache_set", "Fake cache set");
    const AxisValue sync = axis_value("mode", "sync", "Sync");
    const AxisValue async = axis_value("mode", "async", "Async");
    fixture.manifest =
        three_axis_manifest({axis_of("server", {gevent, uvicorn}), axis_of("endpoint", {hit, set}),
                             axis_of("mode", {sync, async})});
    const auto url = [](const std::string& mode, const std::string& endpoint) {
        return "http://127.0.0.1:8000/myapp/" + mode + "/" + endpoint;
    };
    const auto cell = [&](const AxisValue& server, const AxisValue& endpoint, const AxisValue& mode,
                          LoadResult result, double cpu, std::uint64_t rss) {
        const LoadSettings settings = duration_settings(url(mode.name, endpoint.name), 4, 100, 10);
        fixture.add_cell(done_record({server, endpoint, mode}, cpu, rss),
                         std::make_pair(settings, std::move(result)));
    };
    // Written in run order, not report order, so the report has to sort.
    cell(uvicorn, hit, sync, result_with({{35'000, 5000}, {52'000, 600}}, 10.1, 1'500'000), 9.5,
         95ULL << 20);
    cell(gevent, hit, sync, result_with({{8'400, 26000}, {12'000, 900}}, 10.0, 7'800'000), 14.25,
         120ULL << 20);
    cell(gevent, hit, async, result_with({{20'000, 9000}}, 10.0, 2'700'000), 11.0, 130ULL << 20);
    {
        LoadResult no_resources = result_with({{20'300, 9700}, {28'400, 60}}, 10.1, 2'900'000);
        CellRecord record = done_record({gevent, set, sync}, 0, 0);
        record.resources.reset();
        fixture.add_cell(record,
                         std::make_pair(duration_settings(url("sync", "cache_set"), 4, 100, 10),
                                        std::move(no_resources)));
    }
    {
        LoadResult errors = result_with({{31'000, 6000}, {2'000'000, 35}}, 10.1, 1'650'000);
        errors.requests = {6400, 6035, 317, 48};
        errors.errors.timeout = 317;
        errors.status_codes = {{200, 5935}, {503, 100}};
        cell(uvicorn, hit, async, std::move(errors), 10.0, 101ULL << 20);
    }
    cell(uvicorn, set, sync, result_with({{44'000, 4400}}, 10.08, 1'100'000), 8.75, 97ULL << 20);
    CellRecord failed = done_record({uvicorn, set, async}, 0, 0);
    failed.status = CellStatus::failed;
    failed.failure_reason = "not ready within 30s (tcp 127.0.0.1:8000)";
    failed.log_tail =
        "[INFO] Starting gunicorn 21.2.0\nModuleNotFoundError: No module named 'uvloop'\n";
    failed.resources.reset();
    fixture.add_cell(failed, std::nullopt);
    fixture.manifest.tool_versions = {
        {"gunicorn-gevent.cache_hit.sync", "gunicorn (version 21.2.0)"},
        {"uvicorn.cache_hit.sync", "gunicorn (version 21.2.0)"}};
    fixture.write_manifest();
}

}  // namespace benchctl::test
