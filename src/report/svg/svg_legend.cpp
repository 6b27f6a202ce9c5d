#include "report/svg/svg_legend.hpp"

#include <algorithm>

namespace benchctl {

namespace {

constexpr double k_row_height = 18;
constexpr double k_mark_width = 22;  // the mark and the gap before the label
constexpr double k_entry_gap = 16;
constexpr double k_char_width = 7;

struct Placed {
    double x = 0;
    double y = 0;
};

double entry_width(const LegendEntry& entry, double width) {
    return std::min(k_mark_width + estimated_text_width(entry.label), width);
}

// Left-to-right, wrapping to a new row when an entry would pass `width`.
std::vector<Placed> layout(const std::vector<LegendEntry>& entries, double width) {
    std::vector<Placed> placed;
    double x = 0;
    double y = 0;
    for (const LegendEntry& entry : entries) {
        const double w = entry_width(entry, width);
        if (x > 0 && x + w > width) {
            x = 0;
            y += k_row_height;
        }
        placed.push_back({x, y});
        x += w + k_entry_gap;
    }
    return placed;
}

}  // namespace

double estimated_text_width(const std::string& text) {
    const auto code_points = std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    return k_char_width * static_cast<double>(code_points);
}

double legend_height(const std::vector<LegendEntry>& entries, double width) {
    if (entries.empty())
        return 0;
    return layout(entries, width).back().y + k_row_height;
}

void draw_legend(SvgWriter& svg, const std::vector<LegendEntry>& entries, double x, double y,
                 double width, LegendMark mark) {
    const std::vector<Placed> placed = layout(entries, width);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const LegendEntry& entry = entries[i];
        const double left = x + placed[i].x;
        const double middle = y + placed[i].y + k_row_height / 2;
        if (mark == LegendMark::box) {
            svg.rect(left, middle - 6, 14, 12, entry.style.colour, entry.style.dash, "");
        } else {
            svg.polyline({{left, middle}, {left + 16, middle}}, entry.style.colour,
                         entry.style.dash, "");
        }
        svg.text(left + k_mark_width, middle + 4, entry.label, "start", "legend");
    }
}

}  // namespace benchctl
