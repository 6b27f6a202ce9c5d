#include "history/history_store.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>

#include "history/history_schema.hpp"
#include "history/sqlite_connection.hpp"
#include "scratch_dir.hpp"
#include "util/error.hpp"

using benchctl::HistoryRun;
using benchctl::HistoryStore;
using benchctl::SeriesQuery;
using benchctl::UserError;
using benchctl::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

HistoryRun nightly_run(const std::string& id, long long unix_seconds, double requests_per_sec) {
    HistoryRun run;
    run.run_id = id;
    run.started_at = std::chrono::sys_seconds(std::chrono::seconds(unix_seconds));
    run.labels = {{"branch", "main"}, {"commit", "c" + id}};
    run.machine = {"AMD EPYC 7763 64-Core Processor", 2, "Linux 6.1.0-18-amd64 x86_64", "0.1.0"};
    run.cells["gunicorn-gevent.cache_hit.sync"]["requests_per_sec"] = {
        requests_per_sec, requests_per_sec * 1.01, requests_per_sec * 0.98};
    run.cells["gunicorn-gevent.cache_hit.sync"]["p99"] = {12.5, 13.0, 12.0};
    run.cells["uvicorn.cache_hit.async"]["requests_per_sec"] = {2 * requests_per_sec};
    return run;
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const UserError& error) {
        return error.message();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("a new history file starts empty") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("history.db"), HistoryStore::Open::create_if_missing);
    CHECK(store.runs().empty());
    CHECK(store.series({}).empty());
    CHECK(fs::exists(dir.file("history.db")));
}

TEST_CASE("a missing history is an error where one must exist") {
    const ScratchDir dir("history");
    const std::string path = dir.file("absent.db");
    const auto message =
        error_of([&] { HistoryStore::open(path, HistoryStore::Open::existing_only); });
    CHECK_THAT(message, Catch::Contains("cannot open the history database"));
    CHECK_THAT(message, Catch::Contains(path));
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("added runs come back as series, oldest first, with samples, labels and machine") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("h.db"), HistoryStore::Open::create_if_missing);
    // Added out of time order: the series are ordered by start time, not by insertion.
    CHECK(store.add_run(nightly_run("run-2", 1'700'086'400, 1100)) ==
          HistoryStore::AddOutcome::added);
    CHECK(store.add_run(nightly_run("run-1", 1'700'000'000, 1000)) ==
          HistoryStore::AddOutcome::added);
    CHECK(store.add_run(nightly_run("run-3", 1'700'172'800, 900)) ==
          HistoryStore::AddOutcome::added);

    const auto all = store.series({});
    REQUIRE(all.size() == 3);
    CHECK(all[0].cell_id == "gunicorn-gevent.cache_hit.sync");
    CHECK(all[0].metric == "p99");
    CHECK(all[1].metric == "requests_per_sec");
    CHECK(all[2].cell_id == "uvicorn.cache_hit.async");

    const auto& rps = all[1];
    REQUIRE(rps.points.size() == 3);
    CHECK(rps.points[0].run_id == "run-1");
    CHECK(rps.points[1].run_id == "run-2");
    CHECK(rps.points[2].run_id == "run-3");
    CHECK(rps.points[0].samples == std::vector<double>{1000, 1010, 980});  // repetition order
    CHECK(rps.points[0].median == 1000);
    CHECK(rps.medians() == std::vector<double>{1000, 1100, 900});
    CHECK(rps.points[0].started_at.time_since_epoch().count() == 1'700'000'000);
    CHECK(rps.points[0].labels.at("commit") == "crun-1");
    CHECK(rps.points[0].machine.cores == 2);
    CHECK(rps.points[0].machine.kernel == "Linux 6.1.0-18-amd64 x86_64");

    const auto runs = store.runs();
    REQUIRE(runs.size() == 3);
    CHECK(runs[0].run_id == "run-1");
    CHECK(runs[2].labels.at("branch") == "main");
    CHECK(runs[2].machine.benchctl_version == "0.1.0");
}

TEST_CASE("adding the same run again changes nothing") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("h.db"), HistoryStore::Open::create_if_missing);
    const auto run = nightly_run("run-1", 1'700'000'000, 1000);
    CHECK(store.add_run(run) == HistoryStore::AddOutcome::added);
    CHECK(store.add_run(run) == HistoryStore::AddOutcome::already_present);
    CHECK(store.runs().size() == 1);
    const auto series = store.series({"uvicorn.*", "requests_per_sec"});
    REQUIRE(series.size() == 1);
    CHECK(series[0].points.size() == 1);
}

TEST_CASE("the same run id with other figures is refused and the stored run kept") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("h.db"), HistoryStore::Open::create_if_missing);
    store.add_run(nightly_run("run-1", 1'700'000'000, 1000));
    const auto message =
        error_of([&] { store.add_run(nightly_run("run-1", 1'700'000'000, 1200)); });
    CHECK_THAT(message, Catch::Contains("run run-1 is already in the history with other figures"));
    const auto series = store.series({"uvicorn.*", "requests_per_sec"});
    REQUIRE(series.size() == 1);
    CHECK(series[0].points.at(0).median == 2000);
}

TEST_CASE("globs select cells and metrics") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("h.db"), HistoryStore::Open::create_if_missing);
    store.add_run(nightly_run("run-1", 1'700'000'000, 1000));
    CHECK(store.series({"gunicorn-*", "*"}).size() == 2);
    CHECK(store.series({"*", "requests_per_sec"}).size() == 2);
    CHECK(store.series({"*.cache_hit.*sync", "p99"}).size() == 1);
    CHECK(store.series({"*.cache_hit.?sync", "*"}).size() == 1);  // async, not sync
    CHECK(store.series({"[gu]*", "p[0-9]9"}).size() == 1);
    CHECK(store.series({"Gunicorn-*", "*"}).empty());  // case-sensitive, as a shell
    CHECK(store.series({"nginx*", "*"}).empty());
}

TEST_CASE("the history is there after reopening the file") {
    const ScratchDir dir("history");
    const std::string path = dir.file("h.db");
    {
        auto store = HistoryStore::open(path, HistoryStore::Open::create_if_missing);
        store.add_run(nightly_run("run-1", 1'700'000'000, 1000));
    }
    auto reopened = HistoryStore::open(path, HistoryStore::Open::existing_only);
    CHECK(reopened.runs().size() == 1);
    CHECK(reopened.add_run(nightly_run("run-1", 1'700'000'000, 1000)) ==
          HistoryStore::AddOutcome::already_present);
}

TEST_CASE("a file that is not SQLite is refused with a clear error") {
    const ScratchDir dir("history");
    const std::string path = dir.file("notes.db");
    write_text(path, "these are my notes, not a database; they must not be overwritten\n");
    const auto message =
        error_of([&] { HistoryStore::open(path, HistoryStore::Open::create_if_missing); });
    CHECK_THAT(message, Catch::Contains("not a benchctl history"));
    CHECK_THAT(message, Catch::Contains(path));
    std::ifstream kept(path);
    std::string first_line;
    std::getline(kept, first_line);
    CHECK(first_line == "these are my notes, not a database; they must not be overwritten");
}

TEST_CASE("a damaged history is refused with a clear error") {
    const ScratchDir dir("history");
    const std::string path = dir.file("h.db");
    {
        auto store = HistoryStore::open(path, HistoryStore::Open::create_if_missing);
        store.add_run(nightly_run("run-1", 1'700'000'000, 1000));
    }
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(0);
        file << "SQLite format 9";  // the header's magic string, damaged
    }
    const auto message =
        error_of([&] { HistoryStore::open(path, HistoryStore::Open::existing_only); });
    CHECK_THAT(message, Catch::Contains("not a benchctl history"));
}

TEST_CASE("an SQLite database of another application is refused") {
    const ScratchDir dir("history");
    const std::string path = dir.file("shop.db");
    {
        benchctl::SqliteConnection foreign(path, benchctl::SqliteConnection::Create::if_missing);
        foreign.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    }
    const auto message =
        error_of([&] { HistoryStore::open(path, HistoryStore::Open::create_if_missing); });
    CHECK_THAT(message, Catch::Contains("another application"));
    CHECK_THAT(message, Catch::Contains("invoices"));
}

TEST_CASE("a history of a newer schema is refused") {
    const ScratchDir dir("history");
    const std::string path = dir.file("h.db");
    HistoryStore::open(path, HistoryStore::Open::create_if_missing);
    {
        benchctl::SqliteConnection db(path, benchctl::SqliteConnection::Create::never);
        db.execute("UPDATE schema_version SET version = 2");
    }
    const auto message =
        error_of([&] { HistoryStore::open(path, HistoryStore::Open::existing_only); });
    CHECK_THAT(message, Catch::Contains("schema version 2, newer than this benchctl reads (1)"));
}

TEST_CASE("a sample that is not a number is refused and nothing is stored") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("h.db"), HistoryStore::Open::create_if_missing);
    auto run = nightly_run("run-1", 1'700'000'000, 1000);
    run.cells["uvicorn.cache_hit.async"]["p99"] = {1.5, std::numeric_limits<double>::quiet_NaN()};
    const auto message = error_of([&] { store.add_run(run); });
    CHECK_THAT(message, Catch::Contains("metric p99 has a value that is not a number"));
    CHECK_THAT(message, Catch::Contains("cell uvicorn.cache_hit.async"));
    CHECK(store.runs().empty());
}

TEST_CASE("a run without an id is refused") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("h.db"), HistoryStore::Open::create_if_missing);
    CHECK_THROWS_AS(store.add_run(nightly_run("", 1'700'000'000, 1000)), UserError);
}

TEST_CASE("metrics without samples are not stored") {
    const ScratchDir dir("history");
    auto store = HistoryStore::open(dir.file("h.db"), HistoryStore::Open::create_if_missing);
    auto run = nightly_run("run-1", 1'700'000'000, 1000);
    run.cells["uvicorn.cache_hit.async"]["p99"] = {};  // every repetition failed
    store.add_run(run);
    CHECK(store.series({"uvicorn.*", "p99"}).empty());
    CHECK(store.series({"uvicorn.*", "requests_per_sec"}).size() == 1);
}
