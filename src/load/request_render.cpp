#include "load/request_render.hpp"

#include <charconv>
#include <string_view>

namespace benchctl {

namespace {

bool method_needs_length(std::string_view method) {
    return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

bool render_request_bytes(const CompiledRequest& request, const RenderInputs& inputs,
                          std::string& body, std::string& out) {
    out.clear();
    request.method.render(out, inputs);
    const std::size_t method_length = out.size();
    bool expect_body = request.expect_body;
    bool needs_length = request.always_content_length;
    if (request.method_varies) {
        const std::string_view method(out.data(), method_length);
        expect_body = method != "HEAD";
        needs_length = method_needs_length(method);
    }
    out.push_back(' ');
    request.target.render(out, inputs);
    out.append(" HTTP/1.1\r\n");
    request.head.render(out, inputs);
    body.clear();
    request.body.render(body, inputs);
    if (!body.empty() || needs_length) {
        char digits[24];
        auto [end, code] = std::to_chars(digits, digits + sizeof digits, body.size());
        out.append("Content-Length: ");
        out.append(digits, static_cast<std::size_t>(end - digits));
        out.append("\r\n");
    }
    out.append("\r\n");
    out.append(body);
    return expect_body;
}

std::optional<std::string> render_fixed_request(const CompiledRequest& request) {
    for (const TextTemplate* part :
         {&request.method, &request.target, &request.head, &request.body}) {
        if (!part->is_literal())
            return std::nullopt;
    }
    std::string body, out;
    render_request_bytes(request, RenderInputs{}, body, out);
    return out;
}

}  // namespace benchctl
