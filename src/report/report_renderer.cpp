#include "report/report_renderer.hpp"

#include "report/formats/csv_report.hpp"
#include "report/formats/html_report.hpp"
#include "report/formats/json_report.hpp"
#include "report/formats/markdown_report.hpp"
#include "report/formats/rounds_report.hpp"
#include "report/formats/siege_report.hpp"
#include "report/formats/wrk_commands_report.hpp"
#include "report/templates/template_set.hpp"

namespace benchctl {

namespace {

TemplateSet template_set(const ReportOptions& options) {
    return options.template_dir ? TemplateSet::with_overrides(*options.template_dir)
                                : TemplateSet::built_in();
}

}  // namespace

std::string render_report(const RunReport& run, const ReportOptions& options) {
    switch (options.format) {
        case ReportFormat::markdown:
            if (options.style == ReportStyle::siege)
                return render_siege_report(run, options, template_set(options));
            if (options.style == ReportStyle::wrk_commands)
                return render_wrk_commands_report(run, options, template_set(options));
            if (options.style == ReportStyle::rounds)
                return render_rounds_report(run, options, template_set(options));
            return render_markdown_report(run, options, template_set(options));
        case ReportFormat::csv:
            return render_csv_report(run, options);
        case ReportFormat::json:
            return render_json_report(run, options);
        case ReportFormat::html:
            return render_html_report(run, options, template_set(options));
    }
    return {};
}

}  // namespace benchctl
