#include "matrix_flags.hpp"

namespace benchctl {

void add_matrix_flags(CLI::App& command, MatrixFlags& flags) {
    command.add_option("matrix", flags.file, "Matrix file (YAML)")->required();
    command.add_option("--set", flags.settings,
                       "Override a setting: key=value, e.g. load.duration=2s (repeatable)");
}

std::vector<SettingOverride> setting_overrides(const MatrixFlags& flags) {
    std::vector<SettingOverride> overrides;
    for (const std::string& text : flags.settings)
        overrides.push_back(parse_setting_override(text));
    return overrides;
}

}  // namespace benchctl
