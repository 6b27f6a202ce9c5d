#pragma once

// A scratch directory for a unit test, and reading a file back whole.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace benchctl::testing {

// A fresh directory under the system's temporary directory, benchctl-<prefix>-XXXXXX (so that a
// leftover says which tests made it), removed with everything in it when the object goes.
// Throws std::runtime_error when it cannot be made.
class ScratchDir {
  public:
    explicit ScratchDir(const std::string& prefix = "test") {
        std::string pattern =
            (std::filesystem::temp_directory_path() / ("benchctl-" + prefix + "-XXXXXX")).string();
        if (mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("cannot make a scratch directory " + pattern);
        m_path = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::string& path() const { return m_path; }
    // The path of `name` inside it (which need not exist).
    std::string file(const std::string& name) const { return m_path + "/" + name; }

  private:
    std::string m_path;
};

// The whole content of the file at `path`; "" when it cannot be read.
inline std::string read_text(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace benchctl::testing
