#include "load/text_template.hpp"

#include <algorithm>
#include <charconv>

#include "load/data_set.hpp"
#include "load/fast_random.hpp"

namespace benchctl {

namespace {

// Appends a number's decimal digits. It is JSON text, so a json: body gets a number.
void append_number(std::string& out, std::int64_t number, Escape escape) {
    char digits[24];
    auto [end, code] = std::to_chars(digits, digits + sizeof digits, number);
    append_escaped(
        out, TemplateValue{std::string_view(digits, static_cast<std::size_t>(end - digits)), true},
        escape);
}

}  // namespace

void TextTemplate::add_literal(std::string_view text) {
    if (text.empty())
        return;
    if (!m_parts.empty() && m_parts.back().kind == SlotKind::literal &&
        m_parts.back().first + m_parts.back().second == m_pool.size()) {
        m_parts.back().second += static_cast<std::uint32_t>(text.size());
    } else {
        TemplatePart part;
        part.first = static_cast<std::uint32_t>(m_pool.size());
        part.second = static_cast<std::uint32_t>(text.size());
        m_parts.push_back(part);
    }
    m_pool += text;
}

void TextTemplate::add_slot(const TemplatePart& part) {
    m_parts.push_back(part);
}

void TextTemplate::add_choice(const std::vector<std::string>& choices, Escape escape) {
    TemplatePart part;
    part.kind = SlotKind::random_choice;
    part.escape = escape;
    part.first = static_cast<std::uint32_t>(m_choices.size());
    part.second = static_cast<std::uint32_t>(choices.size());
    m_choices.insert(m_choices.end(), choices.begin(), choices.end());
    m_parts.push_back(part);
}

void TextTemplate::append(const TextTemplate& other) {
    for (const TemplatePart& part : other.m_parts) {
        if (part.kind == SlotKind::literal) {
            add_literal(std::string_view(other.m_pool).substr(part.first, part.second));
        } else if (part.kind == SlotKind::random_choice) {
            std::vector<std::string> choices(other.m_choices.begin() + part.first,
                                             other.m_choices.begin() + part.first + part.second);
            add_choice(choices, part.escape);
        } else {
            add_slot(part);
        }
    }
}

bool TextTemplate::is_literal() const {
    return std::all_of(m_parts.begin(), m_parts.end(),
                       [](const TemplatePart& part) { return part.kind == SlotKind::literal; });
}

std::string TextTemplate::literal_text() const {
    std::string text;
    for (const TemplatePart& part : m_parts) {
        if (part.kind == SlotKind::literal)
            text.append(m_pool, part.first, part.second);
    }
    return text;
}

bool TextTemplate::uses(SlotKind kind) const {
    return std::any_of(m_parts.begin(), m_parts.end(),
                       [kind](const TemplatePart& part) { return part.kind == kind; });
}

void TextTemplate::add_data_sets_used(std::vector<std::uint32_t>& sets) const {
    for (const TemplatePart& part : m_parts) {
        if (part.kind == SlotKind::field &&
            std::find(sets.begin(), sets.end(), part.first) == sets.end()) {
            sets.push_back(part.first);
        }
    }
}

void TextTemplate::render(std::string& out, const RenderInputs& inputs) const {
    for (const TemplatePart& part : m_parts) {
        if (part.kind == SlotKind::literal) {
            out.append(m_pool, part.first, part.second);
        } else {
            render_slot(out, part, inputs);
        }
    }
}

void TextTemplate::render_slot(std::string& out, const TemplatePart& part,
                               const RenderInputs& inputs) const {
    switch (part.kind) {
        case SlotKind::field:
            append_escaped(out,
                           inputs.data[part.first]->value(inputs.rows[part.first], part.second),
                           part.escape);
            break;
        case SlotKind::capture: {
            const CapturedValue& value = inputs.captures[part.first];
            append_escaped(out, TemplateValue{value.text, value.json}, part.escape);
            break;
        }
        case SlotKind::random_int: {
            const auto span = static_cast<std::uint64_t>(part.high - part.low);
            const std::uint64_t offset =
                span == UINT64_MAX ? inputs.random->next() : inputs.random->below(span + 1);
            append_number(out,
                          static_cast<std::int64_t>(static_cast<std::uint64_t>(part.low) + offset),
                          part.escape);
            break;
        }
        case SlotKind::random_choice:
            append_escaped(out, m_choices[part.first + inputs.random->below(part.second)],
                           part.escape);
            break;
        case SlotKind::seq:
            append_number(out, static_cast<std::int64_t>(inputs.seq), part.escape);
            break;
        case SlotKind::uuid:
            append_escaped(out, inputs.uuid, part.escape);
            break;
        case SlotKind::connection:
            append_number(out, static_cast<std::int64_t>(inputs.connection), part.escape);
            break;
        case SlotKind::literal:
            break;
    }
}

void format_uuid_v4(FastRandom& random, char (&out)[36]) {
    constexpr char k_hex[] = "0123456789abcdef";
    std::uint64_t high = random.next();
    std::uint64_t low = random.next();
    high = (high & ~0xF000ULL) | 0x4000ULL;                       // version 4
    low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
    std::size_t at = 0;
    for (int nibble = 0; nibble < 32; ++nibble) {
        if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20)
            out[at++] = '-';
        const std::uint64_t word = nibble < 16 ? high : low;
        const int shift = 60 - 4 * (nibble % 16);
        out[at++] = k_hex[(word >> shift) & 0xF];
    }
}

}  // namespace benchctl
