#include "load/request.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace benchctl {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// The user's Host header when there is one (the last wins, as a replacement), else the URL's.
const std::string& host_value(const LoadSettings& settings) {
    const std::string* host = &settings.url.host_header;
    for (const auto& [name, value] : settings.headers) {
        if (equals_ignoring_case(name, "Host"))
            host = &value;
    }
    return *host;
}

// Servers may refuse a POST, PUT or PATCH without a length even when the body is empty.
bool needs_content_length(const LoadSettings& settings) {
    const std::string& method = settings.method;
    return !settings.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

std::string render_request(const LoadSettings& settings) {
    std::string request = settings.method + " " + settings.url.target + " HTTP/1.1\r\n";
    request += "Host: " + host_value(settings) + "\r\n";
    for (const auto& [name, value] : settings.headers) {
        if (equals_ignoring_case(name, "Host") || equals_ignoring_case(name, "Content-Length")) {
            continue;
        }
        request += name + ": " + value + "\r\n";
    }
    if (needs_content_length(settings)) {
        request += "Content-Length: " + std::to_string(settings.body.size()) + "\r\n";
    }
    request += "\r\n";
    request += settings.body;
    return request;
}

bool response_has_no_body(const std::string& method) {
    return method == "HEAD";
}

}  // namespace benchctl
