#pragma once

#include "import/imported_cell.hpp"
#include "import/source_text.hpp"

namespace benchctl {

// Reads a Markdown document whose headings name the cells and whose sections hold wrk summaries
// (or siege summaries), fenced or not, as source documents 000 and 004 do. Each summary becomes
// a cell labelled by the headings above it, exactly as written: the document's only "#" heading
// is its title, then "##" gives the first axis, "###" the second, and so on (when there are
// several "#" headings, "#" is the first axis). Only heading levels that lead to a summary make
// axes; a summary under fewer headings gets "(none)" for the levels it lacks; several summaries
// under the same headings are repetitions of one cell. Axes are named "h2", "h3" ... by their
// level. Headings inside fenced code are not headings. Throws UserError naming file:line when a
// summary is malformed or the document holds none.
ImportedDocument parse_markdown_headings_file(const SourceText& source);

// Whether `line` is an ATX heading ("## Title"); sets `level` (1..6) and `text` (trimmed, any
// closing "#"s removed) when it is.
bool parse_markdown_heading(const std::string& line, int& level, std::string& text);

// The marker of a code fence ("```", "~~~~") that `line` opens or closes, "" when it is none.
std::string markdown_fence(const std::string& line);

}  // namespace benchctl
