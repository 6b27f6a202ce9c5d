#include "matrix_flags.hpp"

namespace benchctl {

void add_matrix_flags(CLI::App& command, MatrixFlags& flags, MatrixArgument argument) {
    CLI::Option* file = command.add_option("matrix", flags.file, "Matrix file (YAML)");
    if (argument == MatrixArgument::required)
        file->required();
    command.add_option("--set", flags.settings,
                       "Override a setting: key=value, e.g. load.duration=2s (repeatable)");
    command.add_option("--only", flags.only,
                       "Only the cells matching: axis=value[,axis=value...] (comma = and) or a "
                       "glob over cell ids, e.g. 'nginx.*'; repeatable (or)");
}

MatrixOptions matrix_options(const MatrixFlags& flags, HostChecks host_checks) {
    MatrixOptions options;
    options.host_checks = host_checks;
    for (const std::string& text : flags.settings)
        options.overrides.push_back(parse_setting_override(text));
    options.only = flags.only;
    return options;
}

}  // namespace benchctl
