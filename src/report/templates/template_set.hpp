#pragma once

#include <map>
#include <mstch/mstch.hpp>
#include <string>

namespace benchctl {

// The mustache templates reports are rendered from, by name: "markdown" is the file
// report_templates/markdown.mustache. Every template is also a partial of every other
// ({{> name}}). The built-in set is compiled into benchctl from report_templates/, so the binary
// needs no files at run time; --template DIR overrides any of them by file name.
class TemplateSet {
  public:
    // The templates of report_templates/ as they were at build time.
    static TemplateSet built_in();

    // The built-in set with every DIR/<name>.mustache put in place of (or beside) the built-in
    // <name>. Throws UserError naming --template when DIR is not a readable directory, or holds
    // no .mustache file.
    static TemplateSet with_overrides(const std::string& directory);

    // The template called `name`. Throws UserError naming --template when there is none.
    const std::string& get(const std::string& name) const;

    const std::map<std::string, std::string>& all() const { return m_templates; }

  private:
    explicit TemplateSet(std::map<std::string, std::string> templates)
        : m_templates(std::move(templates)) {}
    std::map<std::string, std::string> m_templates;
};

// How {{name}} tags escape their value; {{{name}}} never escapes.
enum class TemplateEscape {
    html,  // mustache's default: & < > " ' as entities (HTML reports)
    none,  // as is: Markdown, where the model escapes what its syntax needs
};

// Renders template `name` of `templates` with `context` (mstch, the only template engine user
// in benchctl). Throws UserError naming --template when the template does not exist.
std::string render_template(const TemplateSet& templates, const std::string& name,
                            const mstch::node& context, TemplateEscape escape);

}  // namespace benchctl
