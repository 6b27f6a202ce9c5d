#pragma once

#include <string>
#include <string_view>

namespace benchctl {

// The SHA-256 digest (FIPS 180-4) of `data` as 64 lowercase hex digits. Used to recognise a
// matrix file that changed between a run and its --resume.
std::string sha256_hex(std::string_view data);

}  // namespace benchctl
