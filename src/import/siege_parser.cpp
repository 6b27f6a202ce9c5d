#include "import/siege_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>

#include "import/line_cursor.hpp"

namespace benchctl {
namespace {

constexpr const char* k_siege_format = "siege";
constexpr double k_bytes_per_mb = 1024.0 * 1024.0;  // siege's MB

// One line of the summary: its label and the unit siege prints after the figure ("" for none).
struct SiegeLine {
    const char* label;
    const char* unit;
};

constexpr std::array<SiegeLine, 12> k_lines = {{{"Transactions:", "hits"},
                                                {"Availability:", "%"},
                                                {"Elapsed time:", "secs"},
                                                {"Data transferred:", "MB"},
                                                {"Response time:", "secs"},
                                                {"Transaction rate:", "trans/sec"},
                                                {"Throughput:", "MB/sec"},
                                                {"Concurrency:", ""},
                                                {"Successful transactions:", ""},
                                                {"Failed transactions:", ""},
                                                {"Longest transaction:", ""},
                                                {"Shortest transaction:", ""}}};

// The figure of one summary line, as text ("21", "80.77").
std::string read_figure(LineCursor& lines, const SiegeLine& expected_line) {
    const std::size_t at = lines.index();
    const std::string expected = fmt::format("siege's '{} <figure>{}{}' line", expected_line.label,
                                             *expected_line.unit ? " " : "", expected_line.unit);
    const std::string line = lines.take(expected);
    if (!line.starts_with(expected_line.label))
        lines.fail_at(at, expected);
    const auto words = split_words(std::string_view(line).substr(std::strlen(expected_line.label)));
    const bool unit_ok = words.size() == 1 || (words.size() == 2 && words[1] == expected_line.unit);
    if (words.empty() || !unit_ok || !parse_decimal(words[0]))
        lines.fail_at(at, expected);
    return words[0];
}

// What siege said before the summary: its users, and why requests failed.
struct SiegePreamble {
    std::optional<std::uint64_t> users;
    ErrorCounts explained;  // failures by the kind its [error] lines name
};

SiegePreamble read_preamble(const SourceText& source, std::size_t begin, std::size_t end) {
    SiegePreamble preamble;
    for (std::size_t i = begin; i < end; ++i) {
        const std::string& line = source.lines[i];
        const auto words = split_words(line);
        for (std::size_t w = 0; w + 2 < words.size(); ++w) {
            if (words[w] == "Preparing" && words[w + 2] == "concurrent")
                preamble.users = parse_count(words[w + 1]);
        }
        if (line.find("[error]") == std::string::npos && line.find("[alert]") == std::string::npos)
            continue;
        if (line.find("timed out") != std::string::npos) {
            ++preamble.explained.timeout;
        } else if (line.find("connect") != std::string::npos) {
            ++preamble.explained.connect;
        } else if (line.find("write") != std::string::npos) {
            ++preamble.explained.write;
        } else if (line.find("read") != std::string::npos) {
            ++preamble.explained.read;
        }
    }
    return preamble;
}

// `failed` socket failures split by the kinds siege named, the rest as read errors.
ErrorCounts failure_kinds(std::uint64_t failed, const ErrorCounts& explained) {
    ErrorCounts errors;
    std::uint64_t left = failed;
    const auto take = [&left](std::uint64_t wanted) {
        const std::uint64_t taken = std::min(left, wanted);
        left -= taken;
        return taken;
    };
    errors.connect = take(explained.connect);
    errors.timeout = take(explained.timeout);
    errors.write = take(explained.write);
    errors.read = left;
    return errors;
}

double number(const std::string& figure) {
    return *parse_decimal(figure);
}

std::uint64_t count(LineCursor& lines, std::size_t at, const std::string& figure,
                    const SiegeLine& line) {
    const auto value = parse_count(figure);
    if (!value)
        lines.fail_at(at, fmt::format("a whole number after '{}'", line.label));
    return *value;
}

ImportedCell read_block(LineCursor& lines, const SiegePreamble& preamble) {
    ImportedCell cell;
    cell.summary.source = SummarySource{k_siege_format, lines.source().file, lines.index() + 1};
    std::array<std::string, k_lines.size()> figures;
    std::array<std::size_t, k_lines.size()> at{};
    for (std::size_t i = 0; i < k_lines.size(); ++i) {
        at[i] = lines.index();
        figures[i] = read_figure(lines, k_lines[i]);
    }
    if (number(figures[1]) > 100)
        lines.fail_at(at[1], "an availability of at most 100 %");
    const std::uint64_t transactions = count(lines, at[0], figures[0], k_lines[0]);
    const std::uint64_t successful = count(lines, at[8], figures[8], k_lines[8]);
    const std::uint64_t failed = count(lines, at[9], figures[9], k_lines[9]);
    const double elapsed = number(figures[2]);

    LoadSettings& settings = cell.settings;
    settings.threads = 1;
    settings.connections =
        static_cast<unsigned>(std::min<std::uint64_t>(preamble.users.value_or(1), 1'000'000));
    settings.stop_rule = StopRule::duration;
    settings.duration = std::chrono::nanoseconds(std::llround(elapsed * 1e9));

    LoadResult& result = cell.result;
    result.duration_sec = elapsed;
    result.bytes_read =
        static_cast<std::uint64_t>(std::llround(number(figures[3]) * k_bytes_per_mb));
    result.errors = failure_kinds(failed, preamble.explained);
    result.requests = {transactions + failed, transactions, failed, 0};

    // siege prints seconds; the document records milliseconds.
    LoadSummary& summary = cell.summary;
    summary.latency.mean = LatencyFigure::from_ms(number(figures[4]) * 1000.0);
    summary.latency.max = LatencyFigure::from_ms(number(figures[10]) * 1000.0);
    summary.latency.min = LatencyFigure::from_ms(number(figures[11]) * 1000.0);
    summary.requests_per_sec = number(figures[5]);
    summary.bytes_read_per_sec = number(figures[6]) * k_bytes_per_mb;
    summary.non_2xx_3xx = transactions - std::min(successful, transactions);
    summary.source_figures = {{"availability_pct", number(figures[1])},
                              {"concurrency", number(figures[7])},
                              {"successful", successful},
                              {"failed", failed}};
    return cell;
}

}  // namespace

bool is_siege_start_line(const std::string& line) {
    const std::string trimmed = trim_blanks(line);
    return trimmed.starts_with("Transactions:") && trimmed.find("hits") != std::string::npos;
}

std::vector<ImportedCell> parse_siege(const SourceText& source, std::size_t begin,
                                      std::size_t end) {
    std::vector<ImportedCell> cells;
    std::size_t preamble_begin = begin;
    std::size_t i = begin;
    while (i < end) {
        if (!is_siege_start_line(source.lines[i])) {
            ++i;
            continue;
        }
        const SiegePreamble preamble = read_preamble(source, preamble_begin, i);
        LineCursor lines(source, i, end, k_siege_format);
        cells.push_back(read_block(lines, preamble));
        i = lines.index();
        preamble_begin = i;
    }
    return cells;
}

ImportedDocument parse_siege_file(const SourceText& source) {
    ImportedDocument document;
    document.cells = parse_siege(source, 0, source.lines.size());
    if (document.cells.empty()) {
        source.fail(0, "no siege summary in the file",
                    "siege's summary begins with 'Transactions: <n> hits'; name another format, "
                    "or leave the format out to have it detected");
    }
    return document;
}

}  // namespace benchctl
