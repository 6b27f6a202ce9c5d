#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "load/value_escape.hpp"
#include "util/source_location.hpp"

namespace benchctl {

// How each request takes a row of a data set.
enum class PickMode {
    random,      // any row, uniformly, drawn by the thread's random source
    sequential,  // row 0, 1, 2 ... over the whole run (all threads), then again from row 0
    unique,      // each row once over the whole run; the run stops when every row was taken
};

// "random", "sequential", "unique"; nullopt for anything else.
std::optional<PickMode> parse_pick_mode(std::string_view text);
const char* pick_mode_name(PickMode mode);

// The file formats a data set may have.
enum class DataFormat { csv, jsonl };

// The format named by `text` ("csv", "jsonl"), or by the extension of `path` (.csv; .jsonl,
// .ndjson) when `text` is empty; nullopt when neither says.
std::optional<DataFormat> data_format(std::string_view text, std::string_view path);

// The rows of one data file, loaded once before the load starts and then only read (by every
// thread at once, without a lock). Values live in one text pool, so a million rows cost a
// million small records, not a million strings.
class DataSet {
  public:
    // Reads `path` as `format`. CSV: the first record names the fields, every other record is a
    // row with exactly that many fields. JSON Lines: every non-blank line is a JSON object; the
    // fields are every key any row has, in the order first seen, and a row without one of them
    // holds null there. A JSON string field is its text; any other JSON value keeps its JSON
    // text (a number stays a number in a json: body). Throws SpecError naming `path` (and
    // line:column for a malformed row), or `where` when the file cannot be read or has no row.
    static DataSet load(const std::string& path, DataFormat format, const SourceLocation& where);

    // The same, from text in memory; `path` names it in errors.
    static DataSet parse(std::string_view text, const std::string& path, DataFormat format,
                         const SourceLocation& where);

    const std::vector<std::string>& fields() const { return m_fields; }
    std::optional<std::size_t> field_index(std::string_view name) const;
    std::size_t row_count() const { return m_rows; }

    // The value of `field` in `row`; both must be in range. A view into the data set.
    TemplateValue value(std::size_t row, std::size_t field) const {
        const Cell& cell = m_cells[row * m_fields.size() + field];
        return {std::string_view(m_pool).substr(cell.offset, cell.length), cell.json};
    }

  private:
    struct Cell {
        std::size_t offset;
        std::uint32_t length;
        bool json;
    };
    void add_cell(std::string_view text, bool json);
    void read_csv(std::string_view text, const std::string& path);
    void read_jsonl(std::string_view text, const std::string& path);

    std::vector<std::string> m_fields;
    std::string m_pool;
    std::vector<Cell> m_cells;
    std::size_t m_rows = 0;
};

}  // namespace benchctl
