#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace benchctl {

// Standard base64 (RFC 4648, section 4) with padding: how a tree's log bytes, which need not be
// UTF-8, travel inside a JSON string.
std::string encode_base64(std::string_view bytes);

// The bytes of `text`; nullopt when it is not padded standard base64.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace benchctl
