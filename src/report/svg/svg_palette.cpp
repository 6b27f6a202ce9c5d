#include "report/svg/svg_palette.hpp"

#include <array>

namespace benchctl {

namespace {

// Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, black.
constexpr std::array k_colours = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                  "#CC79A7", "#56B4E9", "#000000"};
constexpr std::array k_dashes = {"", "6 3", "2 2", "8 3 2 3"};

}  // namespace

SeriesStyle series_style(std::size_t index) {
    const std::size_t colour = index % k_colours.size();
    const std::size_t dash = (index / k_colours.size()) % k_dashes.size();
    return {k_colours[colour], k_dashes[dash]};
}

}  // namespace benchctl
