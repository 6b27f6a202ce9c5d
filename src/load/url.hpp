#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace benchctl {

// An http:// URL split into what the load client needs.
struct Url {
    std::string text;         // the URL as given
    std::string host;         // "127.0.0.1", "localhost", "::1" (IPv6 without brackets)
    std::uint16_t port = 80;  // 80 when the URL names none
    std::string target;       // path and query as sent in the request line: "/", "/a?b=c"
    std::string host_header;  // value of the Host header: "host" or "host:port" (IPv6 bracketed)
};

// Parses an absolute http URL ("http://127.0.0.1:8000/myapp/sync/cache_hit?x=1").
// Throws UserError naming `where` (e.g. "URL argument") when the URL is malformed, has no scheme,
// has no host, has a port outside 1..65535, carries user info ("user:pass@"), or has a scheme
// other than http (https says it is not supported yet). The fragment, if any, is dropped.
Url parse_url(std::string_view text, std::string_view where);

}  // namespace benchctl
