#include "report/svg/svg_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace benchctl {

namespace {

// How far a chart may grow beyond its user units on a wide screen: its text stays near 12-17 px.
constexpr double k_max_scale = 1.4;

// A <title> child: browsers show it as the element's tooltip, screen readers read it.
std::string title_element(std::string_view tooltip) {
    if (tooltip.empty())
        return "";
    return fmt::format("<title>{}</title>", escape_xml(tooltip));
}

std::string dash_attribute(std::string_view dash) {
    if (dash.empty())
        return "";
    return fmt::format(" stroke-dasharray=\"{}\"", escape_xml(dash));
}

}  // namespace

std::string escape_xml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string svg_number(double value) {
    if (!std::isfinite(value))
        return "0";
    std::string text = fmt::format("{:.2f}", value);
    while (text.back() == '0')
        text.pop_back();
    if (text.back() == '.')
        text.pop_back();
    return text == "-0" ? "0" : text;
}

SvgWriter::SvgWriter(double width, double height, std::string_view label) {
    m_text = fmt::format(
        "<svg viewBox=\"0 0 {} {}\" style=\"max-width:{}px\" role=\"img\" "
        "aria-label=\"{}\"><title>{}</title>",
        svg_number(width), svg_number(height), svg_number(width * k_max_scale), escape_xml(label),
        escape_xml(label));
}

void SvgWriter::line(double x1, double y1, double x2, double y2, std::string_view css_class) {
    m_text += fmt::format("<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                          escape_xml(css_class), svg_number(x1), svg_number(y1), svg_number(x2),
                          svg_number(y2));
}

void SvgWriter::rect(double x, double y, double width, double height, std::string_view fill,
                     std::string_view stroke_dash, std::string_view tooltip) {
    const std::string stroke =
        stroke_dash.empty() ? ""
                            : " stroke=\"#000\" stroke-width=\"1.5\"" + dash_attribute(stroke_dash);
    m_text += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}>{}</rect>", svg_number(x),
        svg_number(y), svg_number(std::max(width, 0.0)), svg_number(std::max(height, 0.0)),
        escape_xml(fill), stroke, title_element(tooltip));
}

void SvgWriter::circle(double cx, double cy, double r, std::string_view fill,
                       std::string_view stroke, std::string_view tooltip) {
    const std::string outline =
        stroke.empty() ? "" : fmt::format(" stroke=\"{}\" stroke-width=\"1\"", escape_xml(stroke));
    m_text += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"{}>{}</circle>",
                          svg_number(cx), svg_number(cy), svg_number(r), escape_xml(fill), outline,
                          title_element(tooltip));
}

void SvgWriter::text(double x, double y, std::string_view content, std::string_view anchor,
                     std::string_view css_class, double rotate) {
    const std::string transform =
        rotate == 0 ? ""
                    : fmt::format(" transform=\"rotate({} {} {})\"", svg_number(rotate),
                                  svg_number(x), svg_number(y));
    m_text += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" class=\"{}\"{}>{}</text>",
                          svg_number(x), svg_number(y), escape_xml(anchor), escape_xml(css_class),
                          transform, escape_xml(content));
}

void SvgWriter::polyline(const std::vector<SvgPoint>& points, std::string_view stroke,
                         std::string_view stroke_dash, std::string_view tooltip) {
    std::string coordinates;
    for (const SvgPoint& point : points) {
        if (!coordinates.empty())
            coordinates += ' ';
        coordinates += svg_number(point.x) + "," + svg_number(point.y);
    }
    m_text += fmt::format(
        "<polyline class=\"series\" fill=\"none\" stroke=\"{}\"{} points=\"{}\">{}</polyline>",
        escape_xml(stroke), dash_attribute(stroke_dash), coordinates, title_element(tooltip));
}

std::string SvgWriter::finish() const {
    return m_text + "</svg>";
}

}  // namespace benchctl
