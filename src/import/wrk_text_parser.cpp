#include "import/wrk_text_parser.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <optional>

#include "import/line_cursor.hpp"
#include "import/wrk_units.hpp"
#include "util/error.hpp"

namespace benchctl {
namespace {

constexpr const char* k_wrk_text_format = "wrk-text";
constexpr std::uint64_t k_max_threads_or_connections = 1'000'000;  // as benchctl load takes
constexpr std::string_view k_running = "Running ";
constexpr std::string_view k_test_at = " test @ ";

// wrk's URL as printed; one benchctl cannot load (https://) is kept as text.
Url imported_url(const std::string& text) {
    try {
        return parse_url(text, "wrk's Running line");
    } catch (const UserError&) {
        Url url;
        url.text = text;
        return url;
    }
}

// "Running 10s test @ http://host/path"
void read_running_line(LineCursor& lines, LoadSettings& settings) {
    const std::size_t at = lines.index();
    const std::string expected = "'Running <duration> test @ <url>'";
    const std::string line = lines.take(expected);
    const std::size_t marker = line.find(k_test_at);
    if (!line.starts_with(k_running) || marker == std::string::npos)
        lines.fail_at(at, expected);
    const std::size_t from = k_running.size();
    const auto seconds = parse_wrk_seconds(std::string_view(line).substr(from, marker - from));
    if (!seconds)
        lines.fail_at(at, expected);
    settings.stop_rule = StopRule::duration;
    settings.duration = std::chrono::nanoseconds(std::llround(*seconds * 1e9));
    settings.url = imported_url(line.substr(marker + k_test_at.size()));
}

// "20 threads and 2000 connections"
void read_threads_line(LineCursor& lines, LoadSettings& settings) {
    const std::size_t at = lines.index();
    const std::string expected = "'<threads> threads and <connections> connections'";
    const auto words = split_words(lines.take(expected));
    const bool shaped = words.size() == 5 && words[1] == "threads" && words[2] == "and" &&
                        words[4] == "connections";
    const auto threads = shaped ? parse_count(words[0]) : std::nullopt;
    const auto connections = shaped ? parse_count(words[3]) : std::nullopt;
    if (!threads || !connections)
        lines.fail_at(at, expected);
    if (*threads > k_max_threads_or_connections || *connections > k_max_threads_or_connections) {
        lines.fail_at(at, fmt::format("'<threads> threads and <connections> connections', each "
                                      "at most {}",
                                      k_max_threads_or_connections));
    }
    settings.threads = static_cast<unsigned>(*threads);
    settings.connections = static_cast<unsigned>(*connections);
}

void read_stats_header(LineCursor& lines) {
    const std::size_t at = lines.index();
    const std::string expected = "'Thread Stats   Avg      Stdev     Max   +/- Stdev'";
    if (split_words(lines.take(expected)) !=
        std::vector<std::string>{"Thread", "Stats", "Avg", "Stdev", "Max", "+/-", "Stdev"}) {
        lines.fail_at(at, expected);
    }
}

// "89.29%" -> 89.29. wrk prints "nan%" or "-nan%" when a thread had no sample: valid, absent.
bool read_percent(const std::string& word, std::optional<double>& percent) {
    if (word.empty() || word.back() != '%')
        return false;
    const std::string number = word.substr(0, word.size() - 1);
    if (number == "nan" || number == "-nan")
        return true;
    percent = parse_decimal(number);
    return percent.has_value();
}

struct StatsRow {
    double mean = 0, stddev = 0, max = 0;
    std::optional<double> within_pct;
};

// "Latency    84.83ms   71.62ms 570.10ms   89.29%", "Req/Sec     1.37k   318.64     2.91k  78.31%"
StatsRow read_stats_row(LineCursor& lines, const std::string& name,
                        std::optional<double> (*parse)(std::string_view)) {
    const std::size_t at = lines.index();
    const std::string expected = fmt::format("the '{} <avg> <stdev> <max> <+/- stdev>%' row", name);
    const auto words = split_words(lines.take(expected));
    if (words.size() != 5 || words[0] != name)
        lines.fail_at(at, expected);
    const auto mean = parse(words[1]);
    const auto stddev = parse(words[2]);
    const auto max = parse(words[3]);
    StatsRow row;
    if (!mean || !stddev || !max || !read_percent(words[4], row.within_pct))
        lines.fail_at(at, expected);
    row.mean = *mean;
    row.stddev = *stddev;
    row.max = *max;
    return row;
}

// "Latency Distribution" and its four rows "50%   13.50ms" ... "99%   63.22ms" (--latency).
void read_distribution(LineCursor& lines, LatencySummary& latency) {
    lines.take("'Latency Distribution'");
    std::optional<LatencyFigure>* const targets[] = {&latency.p50, &latency.p75, &latency.p90,
                                                     &latency.p99};
    const char* const percents[] = {"50%", "75%", "90%", "99%"};
    for (std::size_t i = 0; i < 4; ++i) {
        const std::size_t at = lines.index();
        const std::string expected =
            fmt::format("the latency distribution's '{} <latency>' row", percents[i]);
        const auto words = split_words(lines.take(expected));
        const auto value = words.size() == 2 && words[0] == percents[i]
                               ? parse_wrk_time_us(words[1])
                               : std::nullopt;
        if (!value)
            lines.fail_at(at, expected);
        *targets[i] = LatencyFigure::from_us(*value);
    }
}

// "269272 requests in 10.10s, 75.24MB read"
void read_totals_line(LineCursor& lines, LoadResult& result) {
    const std::size_t at = lines.index();
    const std::string expected = "'<N> requests in <duration>, <bytes> read'";
    const auto words = split_words(lines.take(expected));
    const bool shaped = words.size() == 6 && words[1] == "requests" && words[2] == "in" &&
                        words[3].size() > 1 && words[3].back() == ',' && words[5] == "read";
    const auto completed = shaped ? parse_count(words[0]) : std::nullopt;
    const auto duration_us =
        shaped ? parse_wrk_time_us(std::string_view(words[3]).substr(0, words[3].size() - 1))
               : std::nullopt;
    const auto bytes = shaped ? parse_wrk_bytes(words[4]) : std::nullopt;
    if (!completed || !duration_us || !bytes)
        lines.fail_at(at, expected);
    result.requests.completed = *completed;
    result.duration_sec = *duration_us / 1e6;
    result.bytes_read = static_cast<std::uint64_t>(std::llround(*bytes));
}

// "Socket errors: connect 0, read 0, write 0, timeout 317"
void read_socket_errors(LineCursor& lines, ErrorCounts& errors) {
    const std::size_t at = lines.index();
    const std::string expected = "'Socket errors: connect <n>, read <n>, write <n>, timeout <n>'";
    const auto words = split_words(lines.take(expected));
    const char* const names[] = {"connect", "read", "write", "timeout"};
    std::uint64_t* const targets[] = {&errors.connect, &errors.read, &errors.write,
                                      &errors.timeout};
    if (words.size() != 10)
        lines.fail_at(at, expected);
    for (std::size_t i = 0; i < 4; ++i) {
        std::string count = words[3 + 2 * i];
        if (i < 3 && !count.empty() && count.back() == ',')
            count.pop_back();
        const auto value = parse_count(count);
        if (words[2 + 2 * i] != names[i] || !value)
            lines.fail_at(at, expected);
        *targets[i] = *value;
    }
}

// "Non-2xx or 3xx responses: 88230"
std::uint64_t read_non_2xx(LineCursor& lines) {
    const std::size_t at = lines.index();
    const std::string expected = "'Non-2xx or 3xx responses: <n>'";
    const auto words = split_words(lines.take(expected));
    const auto count = words.size() == 5 ? parse_count(words[4]) : std::nullopt;
    if (!count)
        lines.fail_at(at, expected);
    return *count;
}

// "Requests/sec:  26658.00" / "Transfer/sec:      7.45MB"
double read_rate_line(LineCursor& lines, const std::string& label,
                      std::optional<double> (*parse)(std::string_view)) {
    const std::size_t at = lines.index();
    const std::string expected = fmt::format("'{} <value>'", label);
    const auto words = split_words(lines.take(expected));
    const auto value = words.size() == 2 && words[0] == label ? parse(words[1]) : std::nullopt;
    if (!value)
        lines.fail_at(at, expected);
    return *value;
}

std::optional<double> parse_plain(std::string_view text) {
    return parse_decimal(text);
}

void read_latency_and_rate_rows(LineCursor& lines, ImportedCell& cell) {
    read_stats_header(lines);
    const StatsRow latency = read_stats_row(lines, "Latency", parse_wrk_time_us);
    LatencySummary& recorded = cell.summary.latency;
    recorded.mean = LatencyFigure::from_us(latency.mean);
    recorded.stddev = LatencyFigure::from_us(latency.stddev);
    recorded.max = LatencyFigure::from_us(latency.max);
    recorded.within_stddev_pct = latency.within_pct;
    const StatsRow rate = read_stats_row(lines, "Req/Sec", parse_wrk_metric);
    const SampleSummary thread_rate{rate.mean, rate.stddev, rate.max, rate.within_pct.value_or(0)};
    cell.result.thread_requests_per_sec = thread_rate;
    cell.summary.thread_requests_per_sec = thread_rate;
}

// One summary, its "Running" line next.
ImportedCell read_block(LineCursor& lines) {
    ImportedCell cell;
    cell.summary.source = SummarySource{k_wrk_text_format, lines.source().file, lines.index() + 1};
    read_running_line(lines, cell.settings);
    read_threads_line(lines, cell.settings);
    read_latency_and_rate_rows(lines, cell);
    if (lines.peek() == "Latency Distribution") {
        cell.settings.print_latency_distribution = true;
        read_distribution(lines, cell.summary.latency);
    }
    read_totals_line(lines, cell.result);
    if (lines.peek().starts_with("Socket errors:"))
        read_socket_errors(lines, cell.result.errors);
    if (lines.peek().starts_with("Non-2xx or 3xx responses:"))
        cell.summary.non_2xx_3xx = read_non_2xx(lines);
    cell.summary.requests_per_sec = read_rate_line(lines, "Requests/sec:", parse_plain);
    cell.summary.bytes_read_per_sec = read_rate_line(lines, "Transfer/sec:", parse_wrk_bytes);
    RequestCounts& requests = cell.result.requests;
    requests.failed = cell.result.errors.total();
    requests.started = requests.completed + requests.failed;
    return cell;
}

}  // namespace

bool is_wrk_start_line(const std::string& line) {
    const std::string trimmed = trim_blanks(line);
    return trimmed.starts_with(k_running) && trimmed.find(k_test_at) != std::string::npos;
}

std::vector<ImportedCell> parse_wrk_text(const SourceText& source, std::size_t begin,
                                         std::size_t end) {
    std::vector<ImportedCell> cells;
    std::size_t i = begin;
    while (i < end) {
        if (!is_wrk_start_line(source.lines[i])) {
            ++i;
            continue;
        }
        LineCursor lines(source, i, end, k_wrk_text_format);
        cells.push_back(read_block(lines));
        i = lines.index();
    }
    return cells;
}

ImportedDocument parse_wrk_text_file(const SourceText& source) {
    ImportedDocument document;
    document.cells = parse_wrk_text(source, 0, source.lines.size());
    if (document.cells.empty()) {
        source.fail(0, "no wrk summary in the file",
                    "wrk's output begins with 'Running <duration> test @ <url>'; name another "
                    "format, or leave the format out to have it detected");
    }
    return document;
}

}  // namespace benchctl
