#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"
#include "results/load_document.hpp"

namespace benchctl {

// The siege release whose console layout the transcript follows (source document 002's).
inline constexpr const char* k_siege_layout_version = "4.0.2";

// siege's command line for a cell's load, the nearest siege has: "siege -b -c 25 -t 60S <url>".
// -b (no delay between a user's requests: benchctl's closed loop); -c the connections; -t the
// duration in seconds ("60S"), or -r the repetitions per user (iterations; for a total of
// requests, the total / connections rounded up). A rate (wrk2's -R) has no siege flag and is
// left out; so is a URL the settings lack (an imported summary).
std::string siege_command_line(const LoadSettings& settings);

// The [error] and [alert] lines siege prints for failed transactions, one per failed request,
// at most `limit`, by kind in this order:
//   connect  "[error] socket: unable to connect sock.c:249: Connection refused"
//   read     "[error] socket: read error Connection reset by peer sock.c:539: Connection reset by
//   peer" write    "[error] socket: write error Broken pipe" timeout  "[alert] socket: read check
//   timed out(<timeout s>) sock.c:240: Connection timed out" parse    "[error] HTTP: unable to
//   parse the response"
// then, when lines were left out, "... <n> more socket errors". Responses with an HTTP status
// are no error lines (siege counts them only as failed transactions).
std::vector<std::string> siege_error_lines(const LoadResult& result, const LoadSettings& settings,
                                           std::size_t limit);

// One cell as siege's console shows a run (source 002): "$ <command line>", the "** SIEGE" banner
// ("** Preparing N concurrent users for battle."), "The server is now under siege..." with the
// error lines from its end on, "Lifting the server siege..." and the summary
// (render_siege_summary). Ends with a newline.
std::string render_siege_transcript(const LoadDocument& document, std::size_t error_limit);

}  // namespace benchctl
