#include "agent/base64.hpp"

#include <catch2/catch.hpp>
#include <string>

using benchctl::decode_base64;
using benchctl::encode_base64;

TEST_CASE("base64 encodes the RFC 4648 test vectors") {
    CHECK(encode_base64("") == "");
    CHECK(encode_base64("f") == "Zg==");
    CHECK(encode_base64("fo") == "Zm8=");
    CHECK(encode_base64("foo") == "Zm9v");
    CHECK(encode_base64("foob") == "Zm9vYg==");
    CHECK(encode_base64("fooba") == "Zm9vYmE=");
    CHECK(encode_base64("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 round-trips every byte value, NUL and invalid UTF-8 included") {
    std::string bytes;
    for (int i = 0; i < 256; ++i)
        bytes += static_cast<char>(i);
    for (std::size_t length = 0; length <= bytes.size(); length += 37) {
        std::string part = bytes.substr(0, length);
        CHECK(decode_base64(encode_base64(part)) == part);
    }
}

TEST_CASE("base64 decoding refuses text that is not padded standard base64") {
    CHECK_FALSE(decode_base64("Zg=").has_value());
    CHECK_FALSE(decode_base64("Z===").has_value());
    CHECK_FALSE(decode_base64("Zm9v!A==").has_value());
    CHECK_FALSE(decode_base64("Zg==Zg==").has_value());
    CHECK_FALSE(decode_base64("Zm-_").has_value());
}
