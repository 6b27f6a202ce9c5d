#include "load/url.hpp"

#include <http_parser.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "util/error.hpp"

namespace benchctl {
namespace {

constexpr const char* k_url_hint = "write it as http://HOST:PORT/PATH";
constexpr const char* k_port_hint = "use a port number in 1..65535, or none for 80";

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

[[noreturn]] void fail(std::string what, std::string_view where, std::string hint = k_url_hint) {
    throw UserError(std::move(what), std::string(where), std::move(hint));
}

bool is_scheme(std::string_view text) {
    // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0])))
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}

std::string lowercase(std::string_view text) {
    std::string lower(text);
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

void check_scheme(std::string_view text, std::string_view where) {
    const std::size_t end = text.find("://");
    if (end == std::string_view::npos || !is_scheme(text.substr(0, end))) {
        fail("URL " + quoted(text) + " has no scheme", where);
    }
    const std::string scheme = lowercase(text.substr(0, end));
    if (scheme == "https")
        fail("https is not supported yet", where, "use http://");
    if (scheme != "http")
        fail("unsupported URL scheme " + quoted(scheme), where, "use http://");
}

// The authority without user info: "host", "host:port", "[v6]:port".
std::string_view host_and_port(std::string_view text) {
    std::string_view rest = text.substr(text.find("://") + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    const std::size_t at = rest.rfind('@');
    return at == std::string_view::npos ? rest : rest.substr(at + 1);
}

// Sets `port` to the text after the host's colon; false when the authority names no port.
bool find_port(std::string_view authority, std::string_view& port) {
    std::size_t host_end = 0;
    if (!authority.empty() && authority[0] == '[') {
        host_end = authority.find(']');
        if (host_end == std::string_view::npos)
            return false;
    }
    const std::size_t colon = authority.find(':', host_end);
    if (colon == std::string_view::npos)
        return false;
    port = authority.substr(colon + 1);
    return true;
}

bool is_valid_port(std::string_view port) {
    if (port.empty() || port.size() > 5)
        return false;
    unsigned value = 0;
    for (char c : port) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value >= 1 && value <= 65535;
}

// http_parser_parse_url only says "no"; name the part that is wrong.
[[noreturn]] void diagnose(std::string_view text, std::string_view where) {
    const std::string_view authority = host_and_port(text);
    std::string_view port;
    if (authority.empty() || authority[0] == ':')
        fail("URL " + quoted(text) + " has no host", where);
    if (find_port(authority, port) && port.empty()) {
        fail("URL " + quoted(text) + " has an empty port", where, k_port_hint);
    }
    if (find_port(authority, port) && !is_valid_port(port)) {
        fail("URL " + quoted(text) + " has an invalid port " + quoted(port), where, k_port_hint);
    }
    fail("malformed URL " + quoted(text), where);
}

std::string_view field(std::string_view text, const http_parser_url& parts, int which) {
    if ((parts.field_set & (1 << which)) == 0)
        return {};
    return text.substr(parts.field_data[which].off, parts.field_data[which].len);
}

bool has_field(const http_parser_url& parts, int which) {
    return (parts.field_set & (1 << which)) != 0;
}

Url build_url(std::string_view text, const http_parser_url& parts) {
    Url url;
    url.text = std::string(text);
    url.host = std::string(field(text, parts, UF_HOST));
    url.port = has_field(parts, UF_PORT) ? parts.port : 80;
    const std::string_view path = field(text, parts, UF_PATH);
    url.target = path.empty() ? "/" : std::string(path);
    if (has_field(parts, UF_QUERY))
        url.target += "?" + std::string(field(text, parts, UF_QUERY));
    const bool is_ipv6 = url.host.find(':') != std::string::npos;
    url.host_header = is_ipv6 ? "[" + url.host + "]" : url.host;
    if (has_field(parts, UF_PORT))
        url.host_header += ":" + std::string(field(text, parts, UF_PORT));
    return url;
}

}  // namespace

Url parse_url(std::string_view text, std::string_view where) {
    // http_parser_url stores offsets as uint16_t.
    if (text.size() > std::numeric_limits<std::uint16_t>::max()) {
        fail("URL is longer than 65535 bytes", where, "use a shorter URL");
    }
    check_scheme(text, where);
    http_parser_url parts;
    http_parser_url_init(&parts);
    if (http_parser_parse_url(text.data(), text.size(), 0, &parts) != 0)
        diagnose(text, where);
    if (field(text, parts, UF_HOST).empty())
        fail("URL " + quoted(text) + " has no host", where);
    if (has_field(parts, UF_USERINFO)) {
        fail("URL " + quoted(text) + " carries user info, which is not supported", where,
             "send credentials in a header: -H 'Authorization: ...'");
    }
    if (has_field(parts, UF_PORT) && parts.port == 0) {
        fail("URL " + quoted(text) + " has an invalid port '0'", where, k_port_hint);
    }
    return build_url(text, parts);
}

}  // namespace benchctl
