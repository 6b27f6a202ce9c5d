// bench/matrix_scale: the growth of matrix validation with the size of the file. Each case is
// loaded at size n and at 4n, several times each, alternating; the ratio of the medians is printed
// next to what a linear (4x) and a quadratic (16x) loader would take. The peer of each timing is
// the same loader on a quarter of the input, measured in the same run, so the figure does not
// depend on the machine's speed. See bench/README.md ("matrix_scale").
//
// Usage: bench_matrix_scale [--pairs N]   (default 5 pairs per case)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "matrix/matrix_error.hpp"
#include "matrix/matrix_loader.hpp"

namespace {

using benchctl::load_matrix_text;
using benchctl::Matrix;
using benchctl::MatrixError;
using benchctl::MatrixOptions;

// Where the timing loops put their results, so that the compiler cannot drop them.
volatile std::size_t g_sink = 0;

// `count` lines "K<i>: v<i>" indented by `indent`.
std::string env_lines(std::size_t count, const std::string& indent) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i)
        text += indent + "K" + std::to_string(i) + ": v" + std::to_string(i) + "\n";
    return text;
}

// A matrix of `axes` axes a, b, c ... of `values` values v0, v1 ... each.
std::string product_matrix(int axes, int values) {
    std::string text = "name: t\ntarget: {command: [s, \"${port}\"]}\naxes:\n";
    for (int a = 0; a < axes; ++a) {
        text += std::string("  ") + static_cast<char>('a' + a) + ": [";
        for (int v = 0; v < values; ++v)
            text += (v ? ", v" : "v") + std::to_string(v);
        text += "]\n";
    }
    return text;
}

// A scalable input: the matrix text for size n and the options to load it with.
struct ScaleCase {
    const char* name;
    std::size_t n;  // the smaller size; the larger is 4n
    std::function<std::string(std::size_t)> text_of;
    MatrixOptions options;
};

std::vector<ScaleCase> scale_cases() {
    return {
        {"target env of n keys",
         10'000,
         [](std::size_t n) {
             return "name: t\naxes: {mode: [a]}\ntarget:\n  command: [s, \"${port}\"]\n  env:\n" +
                    env_lines(n, "    ");
         },
         {}},
        {"duplicate key among n keys (an error)",
         10'000,
         [](std::size_t n) {
             return "name: t\naxes: {mode: [a]}\ntarget:\n  command: [s, \"${port}\"]\n  env:\n" +
                    env_lines(n, "    ") + "    K7: again\n";
         },
         {}},
        {"axis of n values with fields",
         2'500,
         [](std::size_t n) {
             std::string text =
                 "name: t\ntarget: {command: [s, \"${port}\", \"${server.bind}\"]}\n"
                 "axes:\n  server:\n";
             for (std::size_t v = 0; v < n; ++v) {
                 std::string i = std::to_string(v);
                 text += "    - {name: v" + i + ", bind: b" + i + ", note" + i + ": x}\n";
             }
             return text;
         },
         {}},
        // 20^4 = 160,000 and 20^4 x 4 = 640,000 (a fifth axis of 4 values) ids under --only.
        {"--only glob over n cell ids",
         160'000,
         [](std::size_t n) {
             return n == 160'000 ? product_matrix(4, 20)
                                 : product_matrix(4, 20) + "  e: [v0, v1, v2, v3]\n";
         },
         {{}, {"*.v19.v19.v18*"}}},
    };
}

// Seconds to load `text` once (a refused matrix counts: refusing is the work measured).
double seconds_to_load(const std::string& text, const MatrixOptions& options) {
    auto begin = std::chrono::steady_clock::now();
    try {
        Matrix matrix = load_matrix_text(text, "m.yaml", options);
        g_sink = g_sink + matrix.cells.size();
    } catch (const MatrixError& error) {
        g_sink = g_sink + error.problems().size();
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    std::size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
    int pairs = 5;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--pairs") == 0 && i + 1 < argc) {
            pairs = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: bench_matrix_scale [--pairs N]\n");
            return 2;
        }
    }
    std::printf("%-40s %10s %10s %8s   (linear 4x, quadratic 16x)\n", "case", "n (ms)", "4n (ms)",
                "4n / n");
    for (const ScaleCase& scale : scale_cases()) {
        std::string small = scale.text_of(scale.n);
        std::string large = scale.text_of(4 * scale.n);
        std::vector<double> small_times, large_times;
        for (int pair = 0; pair < pairs; ++pair) {
            small_times.push_back(seconds_to_load(small, scale.options));
            large_times.push_back(seconds_to_load(large, scale.options));
        }
        double small_median = median(small_times), large_median = median(large_times);
        std::printf("%-40s %10.1f %10.1f %7.1fx\n", scale.name, small_median * 1e3,
                    large_median * 1e3, large_median / small_median);
    }
    return 0;
}
