#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "load/value_escape.hpp"

namespace benchctl {

class DataSet;
class FastRandom;

// What one part of a compiled template writes.
enum class SlotKind : unsigned char {
    literal,        // text written as compiled (already escaped for where it lands)
    field,          // {{set.field}}: a field of the row the request took from a data set
    capture,        // {{name}}: a value a sequence step captured
    random_int,     // {{random.int(a,b)}}
    random_choice,  // {{random.choice(a,b,c)}}
    seq,            // {{seq}}: the request's number, unique in the run
    uuid,           // {{uuid}}: a random UUID (version 4), one per request
    connection,     // {{connection}}: the connection's number in the run, 0-based
};

struct TemplatePart {
    SlotKind kind = SlotKind::literal;
    Escape escape = Escape::raw;
    // literal: offset and length in the pool; field: data set and field; capture: its slot;
    // random_choice: the first choice and how many.
    std::uint32_t first = 0;
    std::uint32_t second = 0;
    std::int64_t low = 0;  // random_int: the inclusive range
    std::int64_t high = 0;
};

// A captured value: its text and whether it is JSON text (see TemplateValue).
struct CapturedValue {
    std::string text;
    bool json = false;
    bool set = false;
};

// Everything the values of one request come from. Pointers are borrowed for the render.
struct RenderInputs {
    FastRandom* random = nullptr;
    const DataSet* const* data = nullptr;  // by data-set number
    const std::uint32_t* rows = nullptr;   // the row taken from each data set
    const CapturedValue* captures = nullptr;
    std::uint64_t seq = 0;
    std::string_view uuid;
    std::uint64_t connection = 0;
};

// A string with {{...}} placeholders, compiled once into literal segments and slots, then
// rendered per request by appending to a caller's buffer: no allocation once the buffer has
// grown to the longest request. Built by compile_template (placeholder.hpp).
class TextTemplate {
  public:
    // Adds text written as it is (the caller escaped it already for where it lands).
    void add_literal(std::string_view text);
    // Adds a slot; `part.kind` is not literal.
    void add_slot(const TemplatePart& part);
    // Adds a random.choice slot with its choices.
    void add_choice(const std::vector<std::string>& choices, Escape escape);
    // Appends every part of `other`.
    void append(const TextTemplate& other);

    // True when the template has no slot: it renders the same text every time.
    bool is_literal() const;
    // The text of a literal template (its parts joined).
    std::string literal_text() const;
    // Whether a slot of this kind is used; the data sets whose rows it reads.
    bool uses(SlotKind kind) const;
    void add_data_sets_used(std::vector<std::uint32_t>& sets) const;
    bool empty() const { return m_parts.empty(); }

    // Appends the text for one request to `out`.
    void render(std::string& out, const RenderInputs& inputs) const;

  private:
    void render_slot(std::string& out, const TemplatePart& part, const RenderInputs& inputs) const;

    std::string m_pool;
    std::vector<TemplatePart> m_parts;
    std::vector<std::string> m_choices;
};

// The 36 characters of a random UUID version 4 (RFC 9562 section 5.4) into `out`.
void format_uuid_v4(FastRandom& random, char (&out)[36]);

}  // namespace benchctl
