// `benchctl import [FORMAT] FILE... [--out DIR] [--name NAME] [--axes a,b,c]`: turns existing
// benchmark output (wrk's text, siege's summary, gunicorn-bench JSON, a Markdown document of wrk
// blocks under headings) into a run directory that `benchctl report` renders. See docs/import.md.

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "import/import_format.hpp"
#include "import/imported_run.hpp"
#include "runner/run_directory.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

// The flags as typed; checked together once parsing is done, each error naming its flag.
struct ImportFlags {
    std::vector<std::string> arguments;  // [FORMAT] FILE...
    std::string out_dir;
    std::string name;
    std::string axes;
};

std::vector<std::string> split_axes(const std::string& text) {
    std::vector<std::string> names;
    if (text.empty())
        return names;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        std::string name = text.substr(start, comma == std::string::npos ? comma : comma - start);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        names.push_back(name);
        if (comma == std::string::npos)
            return names;
        start = comma + 1;
    }
}

// The first argument names the format when it is a format's name and no file of that name
// exists ("./wrk" reads a file named wrk); the rest are files.
std::vector<std::string> take_format(std::vector<std::string> arguments, ImportOptions& options) {
    const std::string& first = arguments.front();
    if (fs::exists(first))
        return arguments;
    if (const auto format = find_import_format(first)) {
        options.format = *format;
        arguments.erase(arguments.begin());
    } else if (arguments.size() > 1) {
        parse_import_format(first, "the FORMAT argument");
    }
    if (arguments.empty()) {
        throw UserError("no file to import", "the FILE arguments",
                        "name the files after the format: benchctl import wrk out.txt");
    }
    return arguments;
}

std::vector<SourceText> read_sources(const std::vector<std::string>& files) {
    std::vector<SourceText> sources;
    for (const std::string& file : files) {
        if (!fs::is_regular_file(file)) {
            throw UserError(fmt::format("'{}' is not a readable file", file), "the FILE arguments",
                            "name files holding wrk, siege, gunicorn-bench or Markdown output");
        }
        sources.push_back(read_source_text(file));
    }
    return sources;
}

int run_import_command(const ImportFlags& flags) {
    ImportOptions options;
    options.name = flags.name;
    options.axes = split_axes(flags.axes);
    const std::vector<SourceText> sources = read_sources(take_format(flags.arguments, options));
    const std::string name = imported_run_name(options, sources);
    const std::string out =
        flags.out_dir.empty() ? RunDirectory::default_path("results", name) : flags.out_dir;
    check_import_destination(out);
    std::string run_id = fs::path(out).lexically_normal().filename().string();
    if (run_id.empty())
        run_id = fs::path(out).lexically_normal().parent_path().filename().string();
    const ImportedRun run = build_imported_run(sources, options, run_id);
    write_imported_run(run, out);
    fmt::print(stderr,
               "benchctl: imported {} cell{} from {} file{} into {}; render it with "
               "'benchctl report {}'\n",
               run.cells.size(), run.cells.size() == 1 ? "" : "s", sources.size(),
               sources.size() == 1 ? "" : "s", out, out);
    return 0;
}

}  // namespace

CommandAction define_import_command(CLI::App& command) {
    auto flags = std::make_shared<ImportFlags>();
    command
        .add_option("arguments", flags->arguments,
                    "[FORMAT] FILE...: FORMAT is wrk, siege, gunicorn-bench or markdown; "
                    "told from each file's content when left out")
        ->required();
    command.add_option("-o,--out", flags->out_dir,
                       "New run directory to write (default results/<UTC time>-<name>); never "
                       "overwritten");
    command.add_option("--name", flags->name,
                       "The run's name, and its title when no '#' heading gives one (default: "
                       "the first file's name without extension)");
    command.add_option("--axes", flags->axes,
                       "Names for the axes the labels make, outermost first: server,endpoint,mode "
                       "(default h2,h3,... for Markdown, scenario, or run)");
    return [flags] { return run_import_command(*flags); };
}

}  // namespace benchctl
