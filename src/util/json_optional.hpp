#pragma once

#include <nlohmann/json.hpp>
#include <optional>

namespace benchctl {

// An optional written as its value, or null when absent: how every benchctl document writes a
// figure it does not have. `Json` is nlohmann::json or nlohmann::ordered_json.
template <typename Json = nlohmann::json, typename T>
Json or_null(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

}  // namespace benchctl
