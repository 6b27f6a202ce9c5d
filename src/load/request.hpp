#pragma once

#include <string>

#include "load/load_settings.hpp"

namespace benchctl {

// Renders the complete HTTP/1.1 request bytes for `settings` once, so every send reuses them:
//   "<METHOD> <target> HTTP/1.1\r\nHost: <host_header>\r\n" + user headers in order +
//   "Content-Length: <n>\r\n" when there is a body (or the method is POST/PUT/PATCH) +
//   "\r\n" + body.
// A user header replaces the default of the same name (case-insensitive): Host, and
// Content-Length is always computed. No User-Agent or Connection header is added (keep-alive is
// HTTP/1.1's default).
std::string render_request(const LoadSettings& settings);

// True when the method's response has no body whatever its headers say (HEAD).
bool response_has_no_body(const std::string& method);

}  // namespace benchctl
