#include "report/templates/template_set.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <functional>

#include "report/templates/builtin_templates.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_extension = ".mustache";

// mstch keeps its escape function in a global; this sets it for one render and puts the
// previous one back, even when rendering throws.
class ScopedEscape {
  public:
    explicit ScopedEscape(TemplateEscape escape) : m_saved(mstch::config::escape) {
        if (escape == TemplateEscape::none)
            mstch::config::escape = [](const std::string& text) { return text; };
    }
    ~ScopedEscape() { mstch::config::escape = m_saved; }
    ScopedEscape(const ScopedEscape&) = delete;
    ScopedEscape& operator=(const ScopedEscape&) = delete;

  private:
    std::function<std::string(const std::string&)> m_saved;
};

}  // namespace

TemplateSet TemplateSet::built_in() {
    return TemplateSet(builtin_templates());
}

TemplateSet TemplateSet::with_overrides(const std::string& directory) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) {
        throw UserError(fmt::format("'{}' is not a directory", directory), "--template",
                        "give a directory holding <name>.mustache files (see docs/reports.md)");
    }
    std::map<std::string, std::string> templates = builtin_templates();
    bool found = false;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
        const fs::path& path = entry.path();
        if (!entry.is_regular_file() || path.extension() != k_extension)
            continue;
        templates[path.stem().string()] = read_file(path.string(), "--template");
        found = true;
    }
    if (error || !found) {
        throw UserError(fmt::format("'{}' holds no .mustache template", directory), "--template",
                        "copy report_templates/ and edit the copies (see docs/reports.md)");
    }
    return TemplateSet(std::move(templates));
}

const std::string& TemplateSet::get(const std::string& name) const {
    auto it = m_templates.find(name);
    if (it == m_templates.end()) {
        throw UserError(fmt::format("no template '{}{}'", name, k_extension), "--template",
                        "add the file to the template directory, or leave --template out");
    }
    return it->second;
}

std::string render_template(const TemplateSet& templates, const std::string& name,
                            const mstch::node& context, TemplateEscape escape) {
    const std::string& text = templates.get(name);
    ScopedEscape scoped(escape);
    return mstch::render(text, context, templates.all());
}

}  // namespace benchctl
