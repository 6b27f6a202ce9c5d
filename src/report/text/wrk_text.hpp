#pragma once

#include <string>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"
#include "results/load_document.hpp"

namespace benchctl {

// Renders a load run in wrk's own text layout, line for line ("Running 10s test @ ...", the
// Thread Stats block, "Latency Distribution" when settings.print_latency_distribution, "N requests
// in Xs, Y read", "Socket errors: ...", "Non-2xx or 3xx responses: N", "Requests/sec:",
// "Transfer/sec:"), then what wrk lacks: status codes one by one, parse errors, requests in flight
// at the stop, and, with a rate, the service time and how the schedule was kept.
std::string render_wrk_text(const LoadSettings& settings, const LoadResult& result);

// The same from the run's summary rather than its histograms: the wrk lines show the summary's
// figures (one it lacks as "-"), and benchctl's own lines follow only when the summary has exact
// accounting; so a summary recorded from wrk's text renders back to the same lines.
std::string render_wrk_text(const LoadSettings& settings, const LoadResult& result,
                            const LoadSummary& summary);

// A stored load document in wrk's layout, from its settings, result and summary.
std::string render_wrk_text(const LoadDocument& document);

}  // namespace benchctl
