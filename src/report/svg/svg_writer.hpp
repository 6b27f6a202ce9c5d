#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace benchctl {

// Text escaped for XML and HTML character data and attribute values: & < > " ' as entities.
// Everything the report writes into SVG from the run's files passes through here.
std::string escape_xml(std::string_view text);

// A coordinate or length for SVG: at most two decimals, trailing zeros dropped ("12.5", "300",
// "-0.25"); "0" for a value that is not finite, so a bad figure never makes invalid markup.
std::string svg_number(double value);

// A point of a polyline, in SVG user units.
struct SvgPoint {
    double x = 0;
    double y = 0;
};

// Builds one inline <svg> element with a viewBox, so it scales to its container's width while
// keeping its proportions. Every text and attribute value given is escaped here; class names
// and dash patterns are the caller's constants.
class SvgWriter {
  public:
    // An image of width x height user units, described by `label` for screen readers
    // (role="img", <title>). It fills its container's width up to 1.4 times its own.
    SvgWriter(double width, double height, std::string_view label);

    void line(double x1, double y1, double x2, double y2, std::string_view css_class);
    // A filled rectangle; `tooltip` becomes its <title> when not empty. `stroke_dash` (SVG
    // stroke-dasharray, "" for none) outlines it in a dashed stroke.
    void rect(double x, double y, double width, double height, std::string_view fill,
              std::string_view stroke_dash, std::string_view tooltip);
    // `anchor` is SVG's text-anchor (start, middle, end); `rotate` degrees about (x, y).
    void text(double x, double y, std::string_view content, std::string_view anchor,
              std::string_view css_class, double rotate = 0);
    // A circle of radius `r` at (cx, cy), filled, with a 1-unit outline in `stroke` ("" for
    // none); `tooltip` as for rect.
    void circle(double cx, double cy, double r, std::string_view fill, std::string_view stroke,
                std::string_view tooltip);
    // A line through `points` with no fill; `tooltip` as for rect.
    void polyline(const std::vector<SvgPoint>& points, std::string_view stroke,
                  std::string_view stroke_dash, std::string_view tooltip);

    // The finished element.
    std::string finish() const;

  private:
    std::string m_text;
};

}  // namespace benchctl
