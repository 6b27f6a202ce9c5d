#include "load/csv_reader.hpp"

#include "load/request_spec.hpp"

namespace benchctl {

CsvReader::CsvReader(std::string_view text, std::string file)
    : m_text(text), m_file(std::move(file)) {
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
        m_pos = m_line_start = 3;
}

SourceLocation CsvReader::here() const {
    return {m_file, m_line, static_cast<int>(m_pos - m_line_start) + 1};
}

void CsvReader::skip_blank_lines() {
    while (!at_end() && (m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        if (m_text[m_pos] == '\n') {
            ++m_line;
            m_line_start = m_pos + 1;
        }
        ++m_pos;
    }
}

bool CsvReader::next(std::vector<std::string>& fields) {
    fields.clear();
    skip_blank_lines();
    if (at_end())
        return false;
    m_record_line = m_line;
    while (true) {
        std::string& field = fields.emplace_back();
        if (!at_end() && m_text[m_pos] == '"') {
            read_quoted(field);
        } else {
            read_plain(field);
        }
        if (at_end())
            return true;
        const char c = m_text[m_pos++];
        if (c == ',')
            continue;
        if (c == '\r' && !at_end() && m_text[m_pos] == '\n')
            ++m_pos;
        ++m_line;
        m_line_start = m_pos;
        return true;
    }
}

void CsvReader::read_plain(std::string& field) {
    const std::size_t start = m_pos;
    while (!at_end()) {
        const char c = m_text[m_pos];
        if (c == ',' || c == '\n' || c == '\r')
            break;
        if (c == '"') {
            throw SpecError(here(), "a quote inside a field that does not start with one",
                            "put the whole field in quotes and double the quotes inside it: "
                            "\"say \"\"hi\"\"\"");
        }
        ++m_pos;
    }
    field.assign(m_text.substr(start, m_pos - start));
}

void CsvReader::read_quoted(std::string& field) {
    const SourceLocation opened = here();
    ++m_pos;
    while (true) {
        if (at_end()) {
            throw SpecError(opened, "a quoted field never ends",
                            "close the quote; a quote inside a quoted field is written \"\"");
        }
        const char c = m_text[m_pos++];
        if (c == '"') {
            if (!at_end() && m_text[m_pos] == '"') {
                field.push_back('"');
                ++m_pos;
                continue;
            }
            break;
        }
        if (c == '\n') {
            ++m_line;
            m_line_start = m_pos;
        }
        field.push_back(c);
    }
    if (!at_end() && m_text[m_pos] != ',' && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') {
        throw SpecError(here(), "text after the closing quote of a field",
                        "a quote inside a quoted field is written \"\"");
    }
}

}  // namespace benchctl
