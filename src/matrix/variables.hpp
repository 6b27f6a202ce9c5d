#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace benchctl {

// Values for ${name} placeholders: "server" -> "gunicorn-gevent", "server.label" -> "WSGI ...",
// "port" -> "40123", "redis.port" -> "6390", "run_dir" -> "results/...". ${env:NAME} reads the
// environment and needs no entry.
using Variables = std::map<std::string, std::string, std::less<>>;

// Replaces every ${name} in `text` with its value; "$$" is a literal "$", and a '$' followed by
// anything else is kept as is (a regex may end with '$'). Names in `keep` are left as written
// (run-time variables not known yet at expansion). Throws std::out_of_range with the unknown
// name as what() when a name is neither in `values` nor in `keep` (or an ${env:NAME} is unset),
// and std::invalid_argument when a "${" has no closing "}" or an empty name.
std::string substitute_variables(std::string_view text, const Variables& values,
                                 const Variables& keep = {});

// The expansion-time pass: like substitute_variables, but the result is still a template for a
// later substitute_variables pass. Names in `keep` and every "$$" stay as written; values from
// `values` are inserted verbatim (so a value may itself hold run-time variables; pass literal
// text through escape_variables first); ${env:NAME} values are escaped. Throws like
// substitute_variables.
std::string substitute_variables_partially(std::string_view text, const Variables& values,
                                           const Variables& keep);

// `text` with every '$' doubled, so a later substitution yields it unchanged.
std::string escape_variables(std::string_view text);

// The names of every ${name} in `text`, in order ("env:HOME" for ${env:HOME}). Throws
// std::invalid_argument like substitute_variables on a malformed reference.
std::vector<std::string> variable_names(std::string_view text);

}  // namespace benchctl
