#pragma once

#include <memory>
#include <optional>
#include <string>

#include "results/cell_record.hpp"
#include "results/run_manifest.hpp"
#include "util/disk_interface.hpp"

namespace benchctl {

// Who holds a run directory's lock: written into its run.lock, read back by the next run that
// finds it locked and by `report` (an abandoned run). One JSON line.
struct LockHolder {
    long pid = 0;
    std::string host;
    std::string started_at;  // UTC ISO 8601

    // "pid 4242 on host ci-7, since 2026-11-23T11:03:11.250Z"
    std::string describe() const;
    std::string to_text() const;
    // What to_text wrote; nullopt for anything else (an empty or foreign file).
    static std::optional<LockHolder> from_text(const std::string& text);
    // This process, now.
    static LockHolder current(const std::string& started_at);
};

// The folder of one run: manifest.json, cells/<id>.json, logs/<id>.log and run.lock. Every file
// is written through a temporary name and a rename (DiskInterface::write_file), so a crash
// leaves whole files only. The directory is locked (flock on run.lock) for as long as the object
// lives, so two runs never write one directory.
class RunDirectory {
  public:
    // Creates `path` with cells/ and logs/ and takes its lock for `holder`. Throws UserError when
    // another process holds the lock (naming it), when `path` already holds a manifest (a run is
    // never overwritten; use --resume) or cannot be created.
    static RunDirectory create(DiskInterface& disk, const std::string& path,
                               const LockHolder& holder);

    // Opens an existing run for --resume and takes its lock. Throws UserError when there is no
    // manifest or another process holds the lock (naming it). `previous` receives who held the
    // lock last (the run being resumed), when the lock file says.
    static RunDirectory open(DiskInterface& disk, const std::string& path, const LockHolder& holder,
                             std::optional<LockHolder>* previous = nullptr);

    // "results/<UTC time>-<name>" under `results_root`, e.g. results/20261123T110311Z-django.
    static std::string default_path(const std::string& results_root, const std::string& name);

    const std::string& path() const { return m_path; }
    std::string log_path(const std::string& cell_id) const;  // absolute or as given
    std::string log_file(const std::string& cell_id) const;  // relative: "logs/<id>.log"

    // Throws StorageError when the file system refuses it.
    void write_manifest(const RunManifest& manifest) const;
    // Throws UserError when the manifest is missing or not a benchctl.run/1 document.
    RunManifest read_manifest() const;
    // The cell's document as `write_cell` would write it, and its path relative to the run:
    // "cells/<file>".
    std::string cell_file(const CellRecord& record, unsigned repeat) const;
    // Writes the cell's document at cell_file(); returns that path. A file already there (a
    // failed or interrupted attempt being resumed, or a damaged one) is moved to
    // cells/superseded/<file>.<n> first: no result is ever overwritten. Throws StorageError (or
    // UserError) when it cannot be written; the record is then untouched, for the caller to keep.
    std::string write_cell(const CellRecord& record, unsigned repeat,
                           FileSync sync = FileSync::now) const;
    // Flushes cells written with FileSync::deferred (before the manifest that names them).
    void sync() const;

    // Why the file an entry names cannot be trusted as that entry's result, or nullopt when it
    // is a whole benchctl.cell/1 document of the same cell and repetition whose status is
    // `expected` and whose load document reads back. `relative` is the file relative to the run.
    std::optional<std::string> check_cell_file(const std::string& relative,
                                               const ManifestEntry& entry,
                                               CellStatus expected) const;

  private:
    RunDirectory(DiskInterface& disk, std::string path, std::unique_ptr<HeldLock> lock)
        : m_disk(&disk), m_path(std::move(path)), m_lock(std::move(lock)) {}
    void keep_superseded(const std::string& file, const std::string& name) const;
    std::string in_run(const std::string& relative) const;

    DiskInterface* m_disk;
    std::string m_path;
    std::unique_ptr<HeldLock> m_lock;
};

}  // namespace benchctl
