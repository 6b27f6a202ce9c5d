#include "runner/run_directory.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "results/load_document.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace fs = std::filesystem;

namespace {

// The lock, or the UserError that names who holds it.
std::unique_ptr<HeldLock> take_lock(DiskInterface& disk, const std::string& path,
                                    const LockHolder& holder, const char* flag) {
    const std::string lock_path = run_lock_path(path);
    std::unique_ptr<HeldLock> lock = disk.try_lock(lock_path, holder.to_text());
    if (lock)
        return lock;
    std::optional<LockHolder> other;
    if (disk.is_file(lock_path))
        other = LockHolder::from_text(disk.read_file(lock_path, lock_path));
    throw UserError(fmt::format("another benchctl ({}) is writing the run in '{}'",
                                other ? other->describe() : "its pid is not recorded", path),
                    flag, "wait until it ends, or write this run elsewhere (--out)");
}

std::optional<LockHolder> previous_holder(DiskInterface& disk, const std::string& path) {
    const std::string lock_path = run_lock_path(path);
    if (!disk.is_file(lock_path))
        return std::nullopt;
    return LockHolder::from_text(disk.read_file(lock_path, lock_path));
}

}  // namespace

std::string LockHolder::describe() const {
    return fmt::format("pid {} on host {}, since {}", pid, host.empty() ? "?" : host,
                       started_at.empty() ? "?" : started_at);
}

std::string LockHolder::to_text() const {
    return nlohmann::json{{"pid", pid}, {"host", host}, {"started_at", started_at}}.dump() + "\n";
}

std::optional<LockHolder> LockHolder::from_text(const std::string& text) {
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object() || !doc.contains("pid") || !doc["pid"].is_number_integer())
        return std::nullopt;
    LockHolder holder;
    holder.pid = doc["pid"].get<long>();
    holder.host = doc.value("host", "");
    holder.started_at = doc.value("started_at", "");
    return holder;
}

LockHolder LockHolder::current(const std::string& started_at) {
    LockHolder holder;
    holder.pid = static_cast<long>(getpid());
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) == 0)
        holder.host = name;
    holder.started_at = started_at;
    return holder;
}

RunDirectory RunDirectory::create(DiskInterface& disk, const std::string& path,
                                  const LockHolder& holder) {
    disk.make_directories((fs::path(path) / "cells").string());
    disk.make_directories((fs::path(path) / "logs").string());
    // The lock first, then the check: two runs started at once on one --out cannot both pass.
    std::unique_ptr<HeldLock> lock = take_lock(disk, path, holder, "--out");
    if (disk.exists((fs::path(path) / "manifest.json").string())) {
        throw UserError(fmt::format("'{}' already holds a run", path), "--out",
                        "choose another directory, or continue it with --resume");
    }
    return RunDirectory(disk, path, std::move(lock));
}

RunDirectory RunDirectory::open(DiskInterface& disk, const std::string& path,
                                const LockHolder& holder, std::optional<LockHolder>* previous) {
    if (!disk.is_file((fs::path(path) / "manifest.json").string())) {
        throw UserError(fmt::format("'{}' holds no manifest.json", path), "--resume",
                        "point at a directory written by benchctl run");
    }
    std::optional<LockHolder> before = previous_holder(disk, path);
    std::unique_ptr<HeldLock> lock = take_lock(disk, path, holder, "--resume");
    if (previous != nullptr)
        *previous = before;
    disk.make_directories((fs::path(path) / "cells").string());
    disk.make_directories((fs::path(path) / "logs").string());
    return RunDirectory(disk, path, std::move(lock));
}

std::string RunDirectory::default_path(const std::string& results_root, const std::string& name) {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
    return (fs::path(results_root) / fmt::format("{}-{}", stamp, name)).string();
}

std::string RunDirectory::in_run(const std::string& relative) const {
    return (fs::path(m_path) / relative).string();
}

std::string RunDirectory::log_path(const std::string& cell_id) const {
    return in_run(log_file(cell_id));
}

std::string RunDirectory::log_file(const std::string& cell_id) const {
    return "logs/" + cell_id + ".log";
}

void RunDirectory::write_manifest(const RunManifest& manifest) const {
    m_disk->write_file(in_run("manifest.json"), to_json(manifest).dump(2) + "\n");
}

RunManifest RunDirectory::read_manifest() const {
    const std::string where = in_run("manifest.json");
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(m_disk->read_file(where, "--resume"));
    } catch (const nlohmann::json::parse_error& e) {
        throw UserError(fmt::format("manifest is not valid JSON: {}", e.what()), where,
                        "the run directory is damaged; start a new run");
    }
    return run_manifest_from_json(doc, where);
}

std::string RunDirectory::cell_file(const CellRecord& record, unsigned repeat) const {
    return "cells/" + cell_file_name(record.cell_id, record.repetition, repeat);
}

std::string RunDirectory::write_cell(const CellRecord& record, unsigned repeat,
                                     FileSync sync) const {
    const std::string relative = cell_file(record, repeat);
    const std::string target = in_run(relative);
    if (m_disk->exists(target))
        keep_superseded(target, fs::path(relative).filename().string());
    m_disk->write_file(target, to_json(record).dump(2) + "\n", sync);
    return relative;
}

void RunDirectory::sync() const {
    m_disk->sync(m_path);
}

void RunDirectory::keep_superseded(const std::string& file, const std::string& name) const {
    const fs::path folder = fs::path(m_path) / "cells" / "superseded";
    m_disk->make_directories(folder.string());
    for (unsigned attempt = 1;; ++attempt) {
        const std::string kept = (folder / fmt::format("{}.{}", name, attempt)).string();
        if (!m_disk->exists(kept)) {
            m_disk->rename(file, kept);
            return;
        }
    }
}

std::optional<std::string> RunDirectory::check_cell_file(const std::string& relative,
                                                         const ManifestEntry& entry,
                                                         CellStatus expected) const {
    const std::string where = in_run(relative);
    if (!m_disk->is_file(where))
        return fmt::format("{} is missing", relative);
    try {
        const nlohmann::json doc = nlohmann::json::parse(m_disk->read_file(where, where));
        const CellRecord record = cell_record_from_json(doc, where);
        if (record.cell_id != entry.cell_id || record.repetition != entry.repetition) {
            return fmt::format("{} holds cell {} repetition {}", relative, record.cell_id,
                               record.repetition);
        }
        if (record.status != expected) {
            return fmt::format("{} says {}, not {}", relative, cell_status_name(record.status),
                               cell_status_name(expected));
        }
        if (record.load)
            from_load_document(JsonField(*record.load, where, "", "load"));
    } catch (const nlohmann::json::parse_error&) {
        return fmt::format("{} is not valid JSON (truncated?)", relative);
    } catch (const UserError& error) {
        return fmt::format("{} is damaged ({})", relative, error.what());
    }
    return std::nullopt;
}

}  // namespace benchctl
