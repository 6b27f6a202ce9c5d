#include "runner/step_runner.hpp"

#include <fmt/format.h>

#include <csignal>

#include "load/request.hpp"
#include "runner/resolved_cell.hpp"
#include "util/error.hpp"
#include "util/json_path.hpp"
#include "util/text_pattern.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_poll_interval = 50ms;
constexpr auto k_stop_grace = 2s;
constexpr unsigned k_capture_lines = 100000;  // as much as log_tail keeps (64 KiB)
constexpr unsigned k_tail_lines = 20;
constexpr std::size_t k_body_bytes = 200;

double seconds_between(Clock::TimePoint from, Clock::TimePoint to) {
    return std::chrono::duration<double>(to - from).count();
}

void fail(StepRecord& record, std::string why, std::string output) {
    record.status = "failed";
    record.failure = std::move(why);
    record.output = std::move(output);
}

// Polls until the step's root exits, its timeout passes or the run is interrupted.
std::optional<ExitStatus> wait_for_exit(const StepContext& context, RunningTarget& tree,
                                        std::chrono::nanoseconds timeout) {
    Clock& clock = context.env.clock;
    const Clock::TimePoint until = clock.now() + timeout;
    for (;;) {
        if (std::optional<ExitStatus> exit = tree.poll_exit())
            return exit;
        if (context.control.interrupted() || clock.now() >= until)
            return std::nullopt;
        clock.sleep_until(std::min(until, clock.now() + k_poll_interval));
    }
}

// Runs a command step; its output (for captures) when it exited with 0, else nullopt with the
// record failed or interrupted.
std::optional<std::string> run_command(const StepContext& context, const StepSpec& step,
                                       const RuntimeValues& values, const std::string& log,
                                       StepRecord& record) {
    record.kind = "command";
    record.log = log;
    const std::string log_path = context.directory.path() + "/" + record.log;
    TargetSpec target;
    target.command = step.command;
    target.shell = step.shell;
    target.cwd = step.cwd;
    target.env = step.env;
    TargetLauncher& launcher = context.env.launcher;
    try {
        const ResolvedTarget resolved =
            resolve_target(context.matrix, target, values, log_path, "step " + step.name);
        context.env.disk.write_file(log_path, "", FileSync::deferred);
        std::unique_ptr<RunningTarget> tree = launcher.start(resolved.launch);
        const std::optional<ExitStatus> exit = wait_for_exit(context, *tree, step.timeout);
        const RunControl& control = context.control;
        // Whatever it left running (a daemon it started, a hung child) ends here.
        tree->stop(SIGTERM, control.hurry() ? 0ns : std::chrono::nanoseconds(k_stop_grace),
                   &control.hurry_flag());
        if (exit)
            record.exit_code = exit->signal == 0 ? std::optional(exit->code) : std::nullopt;
        if (!exit && control.interrupted()) {
            record.status = "interrupted";
            return std::nullopt;
        }
        if (!exit) {
            fail(record,
                 fmt::format("it did not finish within {:g}s; it was stopped",
                             std::chrono::duration<double>(step.timeout).count()),
                 launcher.log_tail(log_path, k_tail_lines));
            return std::nullopt;
        }
        if (exit->signal != 0 || exit->code != 0) {
            fail(record, fmt::format("it {}", exit->to_string()),
                 launcher.log_tail(log_path, k_tail_lines));
            return std::nullopt;
        }
        return launcher.log_tail(log_path, k_capture_lines);
    } catch (const UserError& error) {
        fail(record, error.message(), launcher.log_tail(log_path, k_tail_lines));
        return std::nullopt;
    }
}

// The step's request as the load client renders it.
LoadSettings http_settings(const StepSpec& step, const RuntimeValues& values) {
    const std::string where = "step " + step.name;
    LoadSettings settings;
    settings.url = parse_url(fill_runtime_variables(step.http->url, values, where), where);
    settings.method = step.http->method;
    for (const auto& [name, value] : step.http->headers)
        settings.headers.emplace_back(name, fill_runtime_variables(value, values, where));
    settings.body = fill_runtime_variables(step.http->body, values, where);
    return settings;
}

// Sends an HTTP step's request; the response's body when its status is the one required.
std::optional<std::string> run_http(const StepContext& context, const StepSpec& step,
                                    const RuntimeValues& values, StepRecord& record) {
    record.kind = "http";
    try {
        const LoadSettings settings = http_settings(step, values);
        const HttpReply reply = context.env.http.exchange(
            settings.url, render_request(settings), !response_has_no_body(settings.method),
            step.timeout, context.control.cancel_flag());
        if (!reply.error.empty() && context.control.interrupted()) {
            record.status = "interrupted";
            return std::nullopt;
        }
        if (!reply.error.empty()) {
            fail(record, fmt::format("{} {}: {}", settings.method, settings.url.text, reply.error),
                 "");
            return std::nullopt;
        }
        record.http_status = reply.status;
        const bool expected = step.http->status ? reply.status == *step.http->status
                                                : reply.status >= 200 && reply.status < 300;
        if (!expected) {
            fail(record,
                 fmt::format("{} {} answered {}, expected {}", settings.method, settings.url.text,
                             reply.status,
                             step.http->status ? std::to_string(*step.http->status) : "2xx"),
                 reply.body.substr(0, k_body_bytes));
            return std::nullopt;
        }
        return reply.body;
    } catch (const UserError& error) {
        fail(record, error.message(), "");
        return std::nullopt;
    }
}

// Fills the record's captures; false (the record failed) when one finds nothing.
bool capture_all(const StepSpec& step, const std::string& output, StepRecord& record) {
    for (const StepCapture& capture : step.captures) {
        std::optional<std::string> value = apply_capture(capture, output);
        if (!value) {
            const char* kind = capture.kind == StepCapture::Kind::json ? "json" : "regex";
            fail(record,
                 fmt::format("capture '{}' ({}: {}) found nothing in its {}", capture.name, kind,
                             capture.pattern, step.http ? "response" : "output"),
                 step.http ? output.substr(0, k_body_bytes) : output);
            return false;
        }
        record.captures[capture.name] = *value;
    }
    return true;
}

}  // namespace

std::optional<std::string> apply_capture(const StepCapture& capture, const std::string& output) {
    if (capture.kind == StepCapture::Kind::json)
        return json_path_value(output, capture.pattern);
    const std::optional<std::string_view> found = TextPattern(capture.pattern).find(output);
    return found ? std::optional<std::string>(*found) : std::nullopt;
}

std::string step_log(const std::string& section, const std::string& name,
                     const std::string& cell_id, unsigned repetition, unsigned repeat) {
    if (cell_id.empty())
        return fmt::format("logs/{}-{}.log", section, name);
    const std::string rep = repeat > 1 ? fmt::format(".rep{}", repetition) : "";
    return fmt::format("logs/{}{}.{}-{}.log", cell_id, rep, section, name);
}

StepRecord run_step(const StepContext& context, const StepSpec& step, const RuntimeValues& values,
                    const std::string& log, std::string* output) {
    StepRecord record;
    record.name = step.name;
    record.status = "ok";
    const Clock::TimePoint begin = context.env.clock.now();
    std::optional<std::string> got = step.http ? run_http(context, step, values, record)
                                               : run_command(context, step, values, log, record);
    if (got)
        capture_all(step, *got, record);
    if (got && output != nullptr)
        *output = std::move(*got);
    record.seconds = seconds_between(begin, context.env.clock.now());
    return record;
}

}  // namespace benchctl
