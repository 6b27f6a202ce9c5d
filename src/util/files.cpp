#include "util/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

// Errors of the file system itself rather than of the path: writing elsewhere, or later, helps.
bool is_storage_error(int error) {
    return error == ENOSPC || error == EDQUOT || error == EFBIG || error == EIO || error == EROFS;
}

UserError path_error(const std::string& path, int error) {
    return UserError(fmt::format("cannot write '{}': {}", path, std::strerror(error)), "",
                     "check that the directory exists and is writable");
}

StorageError storage_error(const std::string& path, int error) {
    return StorageError(fmt::format("cannot write '{}': {}", path, std::strerror(error)), "",
                        "free space on its file system (or raise the limit), then try again",
                        error);
}

// Writes all of `content` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view content) {
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : ENOSPC;  // a write of 0 bytes: nothing more fits
        written += static_cast<std::size_t>(n);
    }
    return 0;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content, FileSync sync) {
    std::string temporary = fmt::format("{}.tmp.{}", path, getpid());
    int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int error = errno;
        if (is_storage_error(error))
            throw storage_error(path, error);
        throw path_error(path, error);
    }
    int error = write_all(fd, content);
    if (error == 0 && sync == FileSync::now && fsync(fd) != 0)
        error = errno;
    if (close(fd) != 0 && error == 0)
        error = errno;
    if (error == 0 && rename(temporary.c_str(), path.c_str()) != 0)
        error = errno;
    if (error != 0) {
        unlink(temporary.c_str());
        // Once the file was created, any failure is the file system's: the path was fine.
        throw storage_error(path, error);
    }
}

void sync_file_system(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw path_error(path, errno);
    const int error = syncfs(fd) == 0 ? 0 : errno;
    close(fd);
    if (error != 0)
        throw storage_error(path, error);
}

std::string read_file(const std::string& path, std::string_view where) {
    std::error_code ignored;
    if (fs::is_directory(path, ignored)) {
        throw UserError(fmt::format("'{}' is a directory, not a file", path), std::string(where),
                        "name a file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UserError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)),
                        std::string(where), "check the path");
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        throw UserError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)),
                        std::string(where), "check the path");
    }
    return content.str();
}

void check_output_file(const std::string& path, std::string_view where) {
    std::error_code ignored;
    if (path.empty())
        throw UserError("the output file name is empty", std::string(where), "name a file");
    if (fs::is_directory(path, ignored)) {
        throw UserError(fmt::format("'{}' is a directory", path), std::string(where),
                        "name a file to write, e.g. " + (fs::path(path) / "out.json").string());
    }
    fs::path directory = fs::path(path).parent_path();
    if (directory.empty())
        directory = ".";
    if (!fs::is_directory(directory, ignored)) {
        throw UserError(fmt::format("the directory '{}' does not exist", directory.string()),
                        std::string(where), "create it first, or write the file elsewhere");
    }
    if (access(directory.c_str(), W_OK) != 0) {
        throw UserError(fmt::format("the directory '{}' is not writable: {}", directory.string(),
                                    std::strerror(errno)),
                        std::string(where), "write the file elsewhere");
    }
}

}  // namespace benchctl
