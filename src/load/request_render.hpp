#pragma once

#include <optional>
#include <string>

#include "load/request_model.hpp"
#include "load/text_template.hpp"

namespace benchctl {

// Renders the bytes of `request` for one send into `out` (cleared first): the request line,
// the head, Content-Length when the body is not empty or the method is POST, PUT or PATCH, the
// blank line and the body. `body` is scratch space for the body (its length comes first).
// Returns whether the response will have a body (false for HEAD). Allocates only while `out`
// and `body` grow.
bool render_request_bytes(const CompiledRequest& request, const RenderInputs& inputs,
                          std::string& body, std::string& out);

// The whole request when nothing in it varies (every template literal), rendered once; nullopt
// otherwise.
std::optional<std::string> render_fixed_request(const CompiledRequest& request);

}  // namespace benchctl
