#include "util/disk_interface.hpp"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

class RealHeldLock final : public HeldLock {
  public:
    explicit RealHeldLock(FileLock lock) : m_lock(std::move(lock)) {}

  private:
    FileLock m_lock;
};

class RealDiskInterface final : public DiskInterface {
  public:
    bool exists(const std::string& path) override {
        std::error_code ignored;
        return fs::exists(path, ignored);
    }
    bool is_file(const std::string& path) override {
        std::error_code ignored;
        return fs::is_regular_file(path, ignored);
    }
    void make_directories(const std::string& path) override {
        std::error_code error;
        fs::create_directories(path, error);
        if (error) {
            throw UserError(fmt::format("cannot create '{}': {}", path, error.message()), "",
                            "check the path and its permissions");
        }
    }
    void write_file(const std::string& path, std::string_view content, FileSync sync) override {
        write_file_atomically(path, content, sync);
    }
    void sync(const std::string& path) override { sync_file_system(path); }
    std::string read_file(const std::string& path, std::string_view where) override {
        return benchctl::read_file(path, where);
    }
    void rename(const std::string& from, const std::string& to) override {
        std::error_code error;
        fs::rename(from, to, error);
        if (error) {
            throw StorageError(
                fmt::format("cannot move '{}' to '{}': {}", from, to, error.message()), "",
                "check the run directory's file system", error.value());
        }
    }
    std::unique_ptr<HeldLock> try_lock(const std::string& path,
                                       const std::string& holder) override {
        std::optional<FileLock> lock = FileLock::try_take(path, holder);
        if (!lock)
            return nullptr;
        return std::make_unique<RealHeldLock>(std::move(*lock));
    }
    bool is_locked(const std::string& path) override { return is_file_locked(path); }
};

}  // namespace

DiskInterface& real_disk() {
    static RealDiskInterface disk;
    return disk;
}

}  // namespace benchctl
