#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/source_location.hpp"

namespace benchctl {

// Reads CSV as RFC 4180 defines it: fields separated by ',', records by CRLF or LF, a field in
// double quotes may hold ',', line breaks and "" for one quote. Lenient where the RFC is silent
// in practice: a UTF-8 byte-order mark at the start is skipped, and blank lines are skipped.
class CsvReader {
  public:
    // `text` must outlive the reader; `file` names it in errors.
    CsvReader(std::string_view text, std::string file);

    // Reads the next record into `fields` (cleared first); false at the end of the text. Throws
    // SpecError at "file:line:column" for a quote inside an unquoted field, text after a closing
    // quote, or a quoted field that never ends (located where it began).
    bool next(std::vector<std::string>& fields);

    // The line on which the record last returned began (1-based).
    int record_line() const { return m_record_line; }

  private:
    bool at_end() const { return m_pos >= m_text.size(); }
    void skip_blank_lines();
    void read_quoted(std::string& field);
    void read_plain(std::string& field);
    SourceLocation here() const;

    std::string_view m_text;
    std::string m_file;
    std::size_t m_pos = 0;
    std::size_t m_line_start = 0;
    int m_line = 1;
    int m_record_line = 0;
};

}  // namespace benchctl
