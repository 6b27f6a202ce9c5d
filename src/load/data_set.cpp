#include "load/data_set.hpp"

#include <fmt/format.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "load/csv_reader.hpp"
#include "load/request_spec.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::optional<PickMode> parse_pick_mode(std::string_view text) {
    for (PickMode mode : {PickMode::random, PickMode::sequential, PickMode::unique}) {
        if (text == pick_mode_name(mode))
            return mode;
    }
    return std::nullopt;
}

const char* pick_mode_name(PickMode mode) {
    switch (mode) {
        case PickMode::random:
            return "random";
        case PickMode::sequential:
            return "sequential";
        case PickMode::unique:
            return "unique";
    }
    return "random";
}

std::optional<DataFormat> data_format(std::string_view text, std::string_view path) {
    if (text == "csv")
        return DataFormat::csv;
    if (text == "jsonl")
        return DataFormat::jsonl;
    if (!text.empty())
        return std::nullopt;
    if (ends_with(path, ".csv"))
        return DataFormat::csv;
    if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
        return DataFormat::jsonl;
    return std::nullopt;
}

std::optional<std::size_t> DataSet::field_index(std::string_view name) const {
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i] == name)
            return i;
    }
    return std::nullopt;
}

void DataSet::add_cell(std::string_view text, bool json) {
    if (text.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw UserError("a data-set value is larger than 4 GiB", "", "split the value");
    }
    m_cells.push_back({m_pool.size(), static_cast<std::uint32_t>(text.size()), json});
    m_pool += text;
}

DataSet DataSet::load(const std::string& path, DataFormat format, const SourceLocation& where) {
    std::string text;
    try {
        text = read_file(path, where.to_string());
    } catch (const UserError& error) {
        throw SpecError(where, fmt::format("data file '{}' cannot be read", path),
                        "a relative path starts at the directory of the file that names it");
    }
    return parse(text, path, format, where);
}

DataSet DataSet::parse(std::string_view text, const std::string& path, DataFormat format,
                       const SourceLocation& where) {
    DataSet set;
    if (format == DataFormat::csv) {
        set.read_csv(text, path);
    } else {
        set.read_jsonl(text, path);
    }
    if (set.m_rows == 0) {
        throw SpecError(where, fmt::format("data file '{}' has no rows", path),
                        format == DataFormat::csv
                            ? "a CSV data file starts with a header row naming the fields, then "
                              "one row per line"
                            : "write one JSON object per line");
    }
    return set;
}

void DataSet::read_csv(std::string_view text, const std::string& path) {
    CsvReader reader(text, path);
    std::vector<std::string> fields;
    if (!reader.next(fields))
        return;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].empty() || field_index(fields[i])) {
            throw SpecError({path, reader.record_line(), 0},
                            fields[i].empty()
                                ? fmt::format("field {} of the header has no name", i + 1)
                                : fmt::format("field '{}' is named twice in the header", fields[i]),
                            "the first row names each field once");
        }
        m_fields.push_back(fields[i]);
    }
    while (reader.next(fields)) {
        if (fields.size() != m_fields.size()) {
            throw SpecError({path, reader.record_line(), 0},
                            fmt::format("row has {} field{}, the header has {}", fields.size(),
                                        fields.size() == 1 ? "" : "s", m_fields.size()),
                            "quote a value that holds a comma: \"a, b\"");
        }
        for (const std::string& field : fields)
            add_cell(field, false);
        ++m_rows;
    }
}

void DataSet::read_jsonl(std::string_view text, const std::string& path) {
    std::vector<nlohmann::ordered_json> rows;  // keys in the order written
    std::unordered_map<std::string, std::size_t> index;
    int number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++number;
        if (is_blank(line))
            continue;
        nlohmann::ordered_json row = nlohmann::ordered_json::parse(line, nullptr, false);
        if (row.is_discarded() || !row.is_object()) {
            throw SpecError({path, number, 0},
                            row.is_discarded() ? "line is not valid JSON"
                                               : "line is a JSON value but not an object",
                            "write one JSON object per line: {\"title\": \"...\"}");
        }
        for (const auto& [key, value] : row.items()) {
            if (index.emplace(key, m_fields.size()).second)
                m_fields.push_back(key);
        }
        rows.push_back(std::move(row));
    }
    for (const nlohmann::ordered_json& row : rows) {
        for (const std::string& field : m_fields) {
            auto found = row.find(field);
            if (found == row.end()) {
                add_cell("null", true);
            } else if (found->is_string()) {
                add_cell(found->get_ref<const std::string&>(), false);
            } else {
                add_cell(found->dump(), true);
            }
        }
        ++m_rows;
    }
}

}  // namespace benchctl
