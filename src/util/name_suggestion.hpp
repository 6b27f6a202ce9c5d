#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchctl {

// Edit distance between two names: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost 1 (optimal string alignment), so "lable" is 1 from "label".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `name`, if one is close enough to be a likely typo: at most
// `max_distance` edits, or by default max(2, length / 3). Ties go to the earlier candidate.
std::optional<std::string> closest_name(std::string_view name,
                                        const std::vector<std::string>& candidates,
                                        std::optional<std::size_t> max_distance = std::nullopt);

// The hint for an unknown name: "did you mean 'connections'?" when one is close, else
// "<noun>: a, b, c" listing every candidate (or "" when there are none).
std::string unknown_name_hint(std::string_view name, const std::vector<std::string>& candidates,
                              std::string_view noun = "known keys");

}  // namespace benchctl
