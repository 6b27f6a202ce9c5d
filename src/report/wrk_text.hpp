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

// A stored load document in wrk's layout: a measured run as above; an imported one
// (`benchctl import`) from the figures its source printed, wrk's lines only, so a wrk block
// imported from text renders back to the same lines (a figure the source lacked shows as "-").
std::string render_wrk_text(const LoadDocument& document);

}  // namespace benchctl
