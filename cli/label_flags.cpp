#include "label_flags.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace benchctl {

std::map<std::string, std::string> parse_labels(const std::vector<std::string>& arguments) {
    std::map<std::string, std::string> labels;
    for (const std::string& argument : arguments) {
        const std::size_t equals = argument.find('=');
        const std::string key = argument.substr(0, equals);
        if (equals == std::string::npos || key.empty() ||
            key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789_-.") != std::string::npos) {
            throw UserError(fmt::format("malformed label '{}'", argument), "--label",
                            "write key=value with a key of letters, digits, '_', '-' and '.', "
                            "e.g. --label commit=abc123");
        }
        labels[key] = argument.substr(equals + 1);
    }
    return labels;
}

}  // namespace benchctl
