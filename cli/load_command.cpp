// `benchctl load URL`: wrk's flags (-t -c -d --timeout -H --latency) plus -n, --iterations, -R,
// -m, --body, --body-file, --warmup, --cpus, --script, --seed and --json. Parses flags (and the
// request script) into LoadSettings, checks that the --json file can be written, runs the load,
// prints wrk's text layout, the warnings that say when not to trust it, and optionally the JSON
// document. Exit code 0, 1 when no request completed (the figures measure nothing), 2 for bad
// flags or a bad script, 130 when interrupted.

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "interrupt_signals.hpp"
#include "load/load_engine.hpp"
#include "load/load_spec.hpp"
#include "matrix/matrix_error.hpp"
#include "matrix/request_script.hpp"
#include "report/text/wrk_text.hpp"
#include "results/load_document.hpp"
#include "runner/cell_warnings.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/units.hpp"

namespace benchctl {

namespace {

// The flags as typed; turned into a LoadSpec once parsing is done and read by the one parser of
// load settings, which names each flag in its messages. Empty means not given.
struct LoadFlags {
    std::string url;
    std::string threads;
    std::string connections;
    std::string duration;
    std::string requests;
    std::string iterations;
    std::string rate;
    std::string timeout;
    std::vector<std::string> headers;
    bool latency = false;
    std::string method;  // "" = GET
    std::string body;
    std::string body_file;
    std::string warmup;
    std::string cpus;
    std::string script;
    std::string seed;
    std::string json;
};

std::pair<std::string, std::string> parse_header(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0) {
        throw UserError(fmt::format("malformed header '{}'", text), "-H",
                        "write it as \"Name: value\"");
    }
    std::string value = text.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    return {text.substr(0, colon), value};
}

std::optional<std::string> given(const std::string& flag) {
    return flag.empty() ? std::nullopt : std::optional<std::string>(flag);
}

// The top-level request of the flags: -m, -H, --body, --body-file.
RequestSpec flag_request(const LoadFlags& flags) {
    RequestSpec request;
    request.where = {"URL argument"};
    if (!flags.method.empty())
        request.method = SpecText{flags.method, {"-m"}};
    for (const std::string& header : flags.headers) {
        auto [name, value] = parse_header(header);
        request.headers.emplace_back(name, SpecText{value, {"-H"}});
    }
    if (!flags.body.empty()) {
        request.body_kind = BodyKind::raw;
        request.body = SpecText{flags.body, {"--body"}};
    } else if (!flags.body_file.empty()) {
        request.body_kind = BodyKind::file;
        request.body = SpecText{flags.body_file, {"--body-file"}};
    }
    return request;
}

// A script says what to send; flags that say it too would leave one of them unused.
void check_script_flags(const LoadFlags& flags) {
    for (auto [given, flag] :
         {std::pair{!flags.method.empty(), "-m"}, std::pair{!flags.body.empty(), "--body"},
          std::pair{!flags.body_file.empty(), "--body-file"}}) {
        if (given) {
            throw UserError(fmt::format("{} and --script both say what to send", flag), flag,
                            "write method:, body: or body_file: in the script instead");
        }
    }
}

LoadSettings to_settings(const LoadFlags& flags) {
    LoadSpec spec;
    spec.url = flags.url;
    spec.threads = given(flags.threads);
    spec.connections = given(flags.connections);
    spec.duration = given(flags.duration);
    spec.requests = given(flags.requests);
    spec.iterations = given(flags.iterations);
    spec.rate = given(flags.rate);
    spec.timeout = given(flags.timeout);
    spec.warmup = given(flags.warmup);
    spec.cpus = given(flags.cpus);
    spec.seed = given(flags.seed);
    if (flags.latency)
        spec.latency = "true";
    spec.url_where = {"URL argument"};
    spec.request = flag_request(flags);
    if (!flags.script.empty()) {
        check_script_flags(flags);
        apply_request_script(flags.script, spec);
    }
    return to_load_settings(spec, LoadSettingNames::flags());
}

// SIGINT/SIGTERM ask the running load to stop; it still reports what it measured. A second
// signal falls back to the default action.
StopSignal* g_stop_signal = nullptr;

extern "C" void on_stop_signal(int signal_number) {
    if (g_stop_signal != nullptr)
        g_stop_signal->request_stop();
    ::signal(signal_number, SIG_DFL);
}

void install_stop_handlers(StopSignal& stop) {
    g_stop_signal = &stop;
    handle_interrupt_signals(on_stop_signal);
}

// On a terminal, a live line on stderr while the load runs: elapsed time, requests, rate, errors.
void show_progress_until_done(std::future<LoadResult>& running, const LoadProgress& progress) {
    bool live = isatty(STDERR_FILENO) != 0;
    auto begin = std::chrono::steady_clock::now();
    std::uint64_t last_completed = 0;
    while (running.wait_for(std::chrono::milliseconds(500)) != std::future_status::ready) {
        if (!live)
            continue;
        double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        std::uint64_t completed = progress.completed.load();
        fmt::print(stderr, "\r  {:>7.1f}s  {} requests  {}/s  {} failed{}\x1b[K", elapsed,
                   completed, format_metric(static_cast<double>(completed - last_completed) * 2),
                   progress.failed.load(), progress.measuring.load() ? "" : "  (warming up)");
        last_completed = completed;
    }
    if (live)
        fmt::print(stderr, "\r\x1b[K");
}

// The runner's rules that need no target (docs/trust.md), as "warning: ..." lines on stderr.
void print_warnings(const LoadSettings& settings, const LoadResult& result) {
    for (const std::optional<CellWarning>& warning :
         {no_requests_warning(result), ramp_warning(result), client_saturated_warning(result),
          timeouts_warning(settings, result), unsolicited_responses_warning(result)}) {
        if (warning)
            fmt::print(stderr, "warning: {} ({}): {}\n", warning->code,
                       warning_severity_name(warning->severity), warning->message);
    }
}

int run_load_command(const LoadFlags& flags) {
    LoadSettings settings;
    try {
        settings = to_settings(flags);
    } catch (const MatrixError& error) {
        std::fflush(stdout);
        fmt::print(stderr, "{}", format_problems(error.problems()));
        return k_exit_usage;
    }
    // Before the load, not after it: a path that cannot be written would lose the measurement.
    if (!flags.json.empty() && flags.json != "-")
        check_output_file(flags.json, "--json");
    StopSignal stop;
    LoadProgress progress;
    install_stop_handlers(stop);
    std::future<LoadResult> running;
    try {
        running =
            std::async(std::launch::async, [&] { return run_load(settings, stop, &progress); });
    } catch (const std::system_error& error) {
        throw UserError(fmt::format("cannot start the load's thread: {}", error.what()), "",
                        "raise the limit on processes (ulimit -u, a container's pids.max)");
    }
    show_progress_until_done(running, progress);
    LoadResult result = running.get();

    std::string text = render_wrk_text(settings, result);
    if (flags.json == "-") {
        fmt::print(stderr, "{}", text);
        fmt::print("{}\n", to_load_document(settings, result).dump(2));
    } else {
        fmt::print("{}", text);
        if (!flags.json.empty()) {
            write_file_atomically(flags.json, to_load_document(settings, result).dump(2) + "\n");
        }
    }
    std::fflush(stdout);
    print_warnings(settings, result);
    if (result.interrupted)
        return k_exit_interrupted;
    return result.requests.completed == 0 ? k_exit_nothing_completed : 0;
}

}  // namespace

CommandAction define_load_command(CLI::App& command) {
    auto flags = std::make_shared<LoadFlags>();
    command.add_option("url", flags->url, "http:// URL to load")->required();
    command.add_option("-t,--threads", flags->threads,
                       fmt::format("Threads, one event loop each (default {})", k_default_threads));
    command.add_option("-c,--connections", flags->connections,
                       fmt::format("Connections kept open, spread over the threads (default {})",
                                   k_default_connections));
    auto* duration = command.add_option(
        "-d,--duration", flags->duration,
        fmt::format("Duration of the test: 10s, 2m (default {}s)", k_default_duration.count()));
    auto* requests =
        command.add_option("-n,--requests", flags->requests, "Send exactly N requests, then stop");
    auto* iterations = command.add_option("--iterations", flags->iterations,
                                          "Each connection sends exactly K requests, then stops");
    requests->excludes(duration)->excludes(iterations);
    iterations->excludes(duration);
    command.add_option("-R,--rate", flags->rate,
                       "Constant arrival rate, requests/s over all connections; latency counts "
                       "from each request's intended send time");
    command.add_option("--timeout", flags->timeout,
                       fmt::format("Fail a request with no whole response after this long "
                                   "(default {}s)",
                                   k_default_timeout.count()));
    command.add_option("-H,--header", flags->headers, "Add a header: \"Name: value\" (repeatable)");
    command.add_flag("--latency", flags->latency, "Print the latency distribution");
    command.add_option("-m,--method", flags->method, "HTTP method (default GET)");
    auto* body = command.add_option("--body", flags->body, "Request body");
    auto* body_file =
        command.add_option("--body-file", flags->body_file, "Read the body from a file");
    body->excludes(body_file);
    command.add_option("--warmup", flags->warmup,
                       "Warm up first, unmeasured: a period (2s) or a number of requests (500)");
    command.add_option("--cpus", flags->cpus,
                       "Pin the load threads to these CPUs, as taskset -c writes them: 0, 2-3");
    command.add_option("--script", flags->script,
                       "Send what a request script says (YAML: templates, data sets, a weighted "
                       "mix or a sequence; see docs/requests.md)");
    command.add_option("--seed", flags->seed,
                       "Seed the random values of templates, mixes and data sets (default: drawn, "
                       "and recorded in the JSON)");
    command.add_option("--json", flags->json,
                       "Write the result document (benchctl.load/2) to FILE, or - for stdout");
    return [flags] { return run_load_command(*flags); };
}

}  // namespace benchctl
