#include "util/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/error.hpp"

namespace benchctl {

namespace {

UserError write_error(const std::string& path) {
    return UserError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)), "",
                     "check that the directory exists and is writable");
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
    std::string temporary = fmt::format("{}.tmp.{}", path, getpid());
    int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw write_error(path);
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            UserError error = write_error(path);
            close(fd);
            unlink(temporary.c_str());
            throw error;
        }
        written += static_cast<std::size_t>(n);
    }
    bool synced = fsync(fd) == 0;
    bool closed = close(fd) == 0;
    if (!synced || !closed || rename(temporary.c_str(), path.c_str()) != 0) {
        UserError error = write_error(path);
        unlink(temporary.c_str());
        throw error;
    }
}

std::string read_file(const std::string& path, std::string_view where) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UserError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)),
                        std::string(where), "check the path");
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace benchctl
