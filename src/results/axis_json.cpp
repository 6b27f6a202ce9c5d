#include "results/axis_json.hpp"

#include <nlohmann/json.hpp>

#include "util/json_field.hpp"

namespace benchctl {

using Fields = std::map<std::string, std::string>;

nlohmann::json parameters_json(const std::vector<AxisValue>& values) {
    nlohmann::json parameters = nlohmann::json::array();
    for (const AxisValue& value : values) {
        parameters.push_back({{"axis", value.axis},
                              {"name", value.name},
                              {"label", value.label},
                              {"fields", value.fields}});
    }
    return parameters;
}

std::vector<AxisValue> parameters_from_json(const JsonField& field) {
    std::vector<AxisValue> values;
    for (const JsonField& value : field.elements()) {
        values.push_back({value["axis"].as_string(), value["name"].as_string(),
                          value["label"].as_string(), value.get_or("fields", Fields{})});
    }
    return values;
}

nlohmann::json axes_json(const std::vector<Axis>& axes, WithFields with_fields) {
    nlohmann::json out = nlohmann::json::array();
    for (const Axis& axis : axes) {
        nlohmann::json values = nlohmann::json::array();
        for (const AxisValue& value : axis.values) {
            nlohmann::json entry = {{"name", value.name}, {"label", value.label}};
            if (with_fields == WithFields::yes)
                entry["fields"] = value.fields;
            values.push_back(std::move(entry));
        }
        out.push_back({{"name", axis.name}, {"values", values}});
    }
    return out;
}

std::vector<Axis> axes_from_json(const JsonField& field) {
    std::vector<Axis> axes;
    for (const JsonField& entry : field.elements()) {
        Axis axis{entry.get_or("name", std::string()), {}};
        if (const std::optional<JsonField> values = entry.find("values")) {
            for (const JsonField& value : values->elements()) {
                axis.values.push_back({axis.name, value.get_or("name", std::string()),
                                       value.get_or("label", std::string()),
                                       value.get_or("fields", Fields{})});
            }
        }
        axes.push_back(std::move(axis));
    }
    return axes;
}

}  // namespace benchctl
