#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "matrix/matrix.hpp"

namespace benchctl {

class JsonField;

// Whether an axis value's extra fields (${axis.field}) are written.
enum class WithFields { yes, no };

// A cell's parameters, as the cell document writes them: [{"axis", "name", "label", "fields"}].
nlohmann::json parameters_json(const std::vector<AxisValue>& values);

// Reads what parameters_json wrote; "fields" may be absent (then empty). Throws UserError naming
// the path of a missing or mistyped field.
std::vector<AxisValue> parameters_from_json(const JsonField& field);

// The axes in order, as the run manifest and the JSON report write them:
// [{"name", "values": [{"name", "label", "fields"}]}]; "fields" only WithFields::yes.
nlohmann::json axes_json(const std::vector<Axis>& axes, WithFields with_fields);

// Reads what axes_json wrote; names, labels and fields default to empty when absent (older
// manifests). Throws UserError naming the path of a mistyped field.
std::vector<Axis> axes_from_json(const JsonField& field);

}  // namespace benchctl
