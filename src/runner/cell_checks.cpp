#include "runner/cell_checks.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/json_path.hpp"

namespace benchctl {

namespace {

std::string trimmed(const std::string& text) {
    const char* space = " \t\r\n";
    const std::size_t begin = text.find_first_not_of(space);
    if (begin == std::string::npos)
        return "";
    return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

std::uint64_t number_at(const nlohmann::json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer() ||
        object[key].get<std::int64_t>() < 0)
        return 0;
    return object[key].get<std::uint64_t>();
}

// What the check expects, filled in.
std::string expected_value(const StepSpec& step, const RuntimeValues& values) {
    const std::string where = "the expect of after check " + step.name;
    if (!step.expect)
        return "success";
    if (step.expect->output)
        return trimmed(fill_runtime_variables(*step.expect->output, values, where));
    if (step.expect->json)
        return trimmed(fill_runtime_variables(step.expect->equals, values, where));
    if (step.expect->status)
        return std::to_string(*step.expect->status);
    return "success";
}

}  // namespace

Variables cell_figures(const nlohmann::json& load) {
    Variables figures;
    const nlohmann::json* requests = load.contains("requests") ? &load["requests"] : nullptr;
    figures["cell.completed"] =
        std::to_string(requests != nullptr ? number_at(*requests, "completed") : 0);
    figures["cell.failed"] =
        std::to_string(requests != nullptr ? number_at(*requests, "failed") : 0);
    const nlohmann::json codes =
        load.contains("status_codes") ? load["status_codes"] : nlohmann::json::object();
    for (int status = 100; status < 600; ++status) {
        figures["cell.status." + std::to_string(status)] =
            std::to_string(number_at(codes, std::to_string(status).c_str()));
    }
    return figures;
}

CheckRecord judge_check(const StepSpec& step, const StepRecord& ran, const std::string& output,
                        const RuntimeValues& values) {
    CheckRecord check;
    check.name = step.name;
    check.expected = expected_value(step, values);
    const bool status_check = step.expect && step.expect->status && ran.http_status;
    if (ran.status != "ok") {
        check.failure = ran.failure;
        check.actual = status_check ? std::to_string(*ran.http_status) : ran.failure;
        return check;
    }
    if (!step.expect) {
        check.actual = "success";
    } else if (step.expect->output) {
        check.actual = trimmed(output);
    } else if (step.expect->json) {
        check.actual = json_path_value(output, *step.expect->json)
                           .value_or(fmt::format("nothing at {}", *step.expect->json));
    } else {
        check.actual = ran.http_status ? std::to_string(*ran.http_status) : "no status";
    }
    check.passed = check.actual == check.expected;
    return check;
}

std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

}  // namespace benchctl
