#include "load/http_response_parser.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

using benchctl::HttpResponseParser;
using Outcome = HttpResponseParser::Outcome;

namespace {

constexpr int k_error = -1;

const std::string k_content_length =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world!";
const std::string k_chunked =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5;name=value\r\nhello\r\n"
    "7;a=1;b=\"q\"\r\n world!\r\n"
    "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n";
const std::string k_no_content = "HTTP/1.1 204 No Content\r\nDate: today\r\n\r\n";
const std::string k_not_modified = "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n";
const std::string k_continue_then_ok =
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";

// Feeds `stream` in pieces of at most `piece` bytes, as reads from a socket would deliver it,
// starting a new response after each complete one. Returns the status of every complete
// response, then k_error if the parser reported one. Every byte must be consumed exactly once.
std::vector<int> parse_in_pieces(const std::string& stream, std::size_t piece,
                                 bool expect_body = true) {
    HttpResponseParser parser;
    parser.start_response(expect_body);
    std::vector<int> statuses;
    std::size_t offset = 0;
    while (offset < stream.size()) {
        const std::size_t end = std::min(stream.size(), offset + piece);
        while (offset < end) {
            const auto result = parser.feed(stream.data() + offset, end - offset);
            REQUIRE(result.consumed <= end - offset);
            offset += result.consumed;
            if (result.outcome == Outcome::error) {
                statuses.push_back(k_error);
                return statuses;
            }
            if (result.outcome == Outcome::need_more)
                REQUIRE(offset == end);
            if (result.outcome == Outcome::response_complete) {
                statuses.push_back(parser.status_code());
                parser.start_response(expect_body);
            }
        }
    }
    return statuses;
}

// Splits `stream` in two at every byte boundary and checks each split yields `expected`.
void check_every_split(const std::string& stream, const std::vector<int>& expected) {
    for (std::size_t split = 1; split < stream.size(); ++split) {
        HttpResponseParser parser;
        std::vector<int> statuses;
        std::size_t offset = 0;
        for (const std::size_t end : {split, stream.size()}) {
            while (offset < end) {
                const auto result = parser.feed(stream.data() + offset, end - offset);
                offset += result.consumed;
                REQUIRE(result.outcome != Outcome::error);
                if (result.outcome == Outcome::response_complete) {
                    statuses.push_back(parser.status_code());
                    parser.start_response(true);
                }
            }
        }
        INFO("split after byte " << split);
        CHECK(statuses == expected);
    }
}

}  // namespace

TEST_CASE("completes a Content-Length response and consumes exactly its bytes") {
    HttpResponseParser parser;
    const std::string stream = k_content_length + "HTTP/1.1";
    const auto result = parser.feed(stream.data(), stream.size());
    CHECK(result.outcome == Outcome::response_complete);
    CHECK(result.consumed == k_content_length.size());
    CHECK(parser.status_code() == 200);
    CHECK(parser.keep_alive());
}

TEST_CASE("completes responses split in two at every byte boundary") {
    check_every_split(k_content_length, {200});
    check_every_split(k_chunked, {200});
    check_every_split(k_no_content, {204});
    check_every_split(k_not_modified, {304});
    check_every_split(k_continue_then_ok, {201});
    check_every_split(k_content_length + k_no_content + k_chunked, {200, 204, 200});
}

TEST_CASE("completes responses fed one byte at a time") {
    const std::string stream = k_chunked + k_content_length + k_continue_then_ok;
    CHECK(parse_in_pieces(stream, 1) == std::vector<int>{200, 200, 201});
}

TEST_CASE("parses chunked bodies with chunk extensions and trailers") {
    HttpResponseParser parser;
    const auto result = parser.feed(k_chunked.data(), k_chunked.size());
    CHECK(result.outcome == Outcome::response_complete);
    CHECK(result.consumed == k_chunked.size());
    CHECK(parser.keep_alive());
}

TEST_CASE("stops after each of several pipelined responses in one buffer") {
    const std::string stream = k_content_length + k_chunked + k_no_content + k_not_modified;
    HttpResponseParser parser;
    std::size_t offset = 0;
    for (const auto& [size, status] :
         std::vector<std::pair<std::size_t, int>>{{k_content_length.size(), 200},
                                                  {k_chunked.size(), 200},
                                                  {k_no_content.size(), 204},
                                                  {k_not_modified.size(), 304}}) {
        parser.start_response(true);
        const auto result = parser.feed(stream.data() + offset, stream.size() - offset);
        CHECK(result.outcome == Outcome::response_complete);
        CHECK(result.consumed == size);
        CHECK(parser.status_code() == status);
        offset += result.consumed;
    }
    CHECK(offset == stream.size());
}

TEST_CASE("skips the body a HEAD response announces with Content-Length") {
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n";
    HttpResponseParser parser;
    parser.start_response(false);
    const std::string stream = head + head;
    const auto result = parser.feed(stream.data(), stream.size());
    CHECK(result.outcome == Outcome::response_complete);
    CHECK(result.consumed == head.size());
    CHECK(parse_in_pieces(stream, 1, false) == std::vector<int>{200, 200});
}

TEST_CASE("completes a HEAD response announcing a chunked body at the end of its headers") {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    CHECK(parse_in_pieces(head + head, 7, false) == std::vector<int>{200, 200});
}

TEST_CASE("reads no body after 204 and 304 whatever their headers say") {
    const std::string lying_204 = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n";
    CHECK(parse_in_pieces(lying_204 + k_content_length, 3) == std::vector<int>{204, 200});
    CHECK(parse_in_pieces(k_not_modified + k_content_length, 3) == std::vector<int>{304, 200});
}

TEST_CASE("reports only the final response after an interim 100 Continue or 103") {
    HttpResponseParser parser;
    const auto result = parser.feed(k_continue_then_ok.data(), k_continue_then_ok.size());
    CHECK(result.outcome == Outcome::response_complete);
    CHECK(result.consumed == k_continue_then_ok.size());
    CHECK(parser.status_code() == 201);

    const std::string early_hints =
        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
        "HTTP/1.1 103 Early Hints\r\nLink: </b.css>\r\n\r\n" +
        k_no_content;
    CHECK(parse_in_pieces(early_hints, 5) == std::vector<int>{204});
}

TEST_CASE("an interim 1xx alone leaves the request waiting for its final response") {
    HttpResponseParser parser;
    const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
    const auto result = parser.feed(interim.data(), interim.size());
    CHECK(result.outcome == Outcome::need_more);
    CHECK(result.consumed == interim.size());
    CHECK(parser.in_progress());
    CHECK(parser.finish() == Outcome::error);
}

TEST_CASE("ends a body delimited by connection close at finish") {
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it";
    HttpResponseParser parser;
    const auto result = parser.feed(response.data(), response.size());
    CHECK(result.outcome == Outcome::need_more);
    CHECK(result.consumed == response.size());
    CHECK(parser.finish() == Outcome::response_complete);
    CHECK(parser.status_code() == 200);
    CHECK_FALSE(parser.keep_alive());
}

TEST_CASE("calls a close before any byte of a response an idle close") {
    HttpResponseParser parser;
    CHECK_FALSE(parser.in_progress());
    CHECK(parser.finish() == Outcome::need_more);

    const auto result = parser.feed(k_content_length.data(), k_content_length.size());
    REQUIRE(result.outcome == Outcome::response_complete);
    parser.start_response(true);
    CHECK_FALSE(parser.in_progress());
    CHECK(parser.finish() == Outcome::need_more);
}

TEST_CASE("reports an error when the connection closes in the middle of a response") {
    const std::string truncated_body = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345";
    const std::string truncated_chunk =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab";
    const std::string truncated_headers = "HTTP/1.1 200 OK\r\nContent-Len";
    for (const std::string& stream : {truncated_body, truncated_chunk, truncated_headers}) {
        HttpResponseParser parser;
        const auto result = parser.feed(stream.data(), stream.size());
        CHECK(result.outcome == Outcome::need_more);
        CHECK(parser.in_progress());
        CHECK(parser.finish() == Outcome::error);
        CHECK(std::string(parser.error_name()) != "");
    }
}

TEST_CASE("reports an error for a malformed status line") {
    for (const std::string stream :
         {"HTTP/1.1 abc OK\r\n\r\n", "HTTX/1.1 200 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n",
          "garbage\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
          "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
          "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n"}) {
        INFO(stream);
        CHECK(parse_in_pieces(stream, stream.size()) == std::vector<int>{k_error});
        CHECK(parse_in_pieces(stream, 1) == std::vector<int>{k_error});
    }
}

TEST_CASE("reports an error for a malformed response after good pipelined ones") {
    const std::string stream = k_content_length + k_no_content + "HTTP/1.1 20x OK\r\n\r\n";
    CHECK(parse_in_pieces(stream, stream.size()) == std::vector<int>{200, 204, k_error});
    CHECK(parse_in_pieces(stream, 1) == std::vector<int>{200, 204, k_error});
}

TEST_CASE("reports an error for a status line after an interim response that is malformed") {
    const std::string stream = "HTTP/1.1 100 Continue\r\n\r\nHTXP/1.1 200 OK\r\n\r\n";
    CHECK(parse_in_pieces(stream, stream.size()) == std::vector<int>{k_error});
    CHECK(parse_in_pieces(stream, 1) == std::vector<int>{k_error});
}

TEST_CASE("tolerates line breaks before a status line as libhttp-parser does") {
    CHECK(parse_in_pieces("\r\n" + k_no_content, 1) == std::vector<int>{204});
}

TEST_CASE("reports an error for a malformed chunk size or header") {
    for (const std::string stream :
         {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
        INFO(stream);
        HttpResponseParser parser;
        CHECK(parser.feed(stream.data(), stream.size()).outcome == Outcome::error);
    }
}

TEST_CASE("treats a 101 Switching Protocols as an error") {
    const std::string stream = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n";
    HttpResponseParser parser;
    CHECK(parser.feed(stream.data(), stream.size()).outcome == Outcome::error);
    CHECK(std::string(parser.error_name()) == "unexpected 101 Switching Protocols");
}

TEST_CASE("reports whether the connection may be reused") {
    const auto keep_alive = [](const std::string& stream) {
        HttpResponseParser parser;
        REQUIRE(parser.feed(stream.data(), stream.size()).outcome == Outcome::response_complete);
        return parser.keep_alive();
    };
    CHECK(keep_alive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    CHECK_FALSE(keep_alive("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
    CHECK_FALSE(keep_alive("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    CHECK(keep_alive("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"));
}

TEST_CASE("starts over cleanly after an error") {
    HttpResponseParser parser;
    const std::string bad = "nonsense\r\n";
    REQUIRE(parser.feed(bad.data(), bad.size()).outcome == Outcome::error);
    parser.start_response(true);
    const auto result = parser.feed(k_content_length.data(), k_content_length.size());
    CHECK(result.outcome == Outcome::response_complete);
    CHECK(parser.status_code() == 200);
}

TEST_CASE("refuses bytes after a complete response until start_response") {
    HttpResponseParser parser;
    const std::string stream = k_no_content + k_no_content;
    const auto first = parser.feed(stream.data(), stream.size());
    REQUIRE(first.outcome == Outcome::response_complete);
    const auto second = parser.feed(stream.data() + first.consumed, stream.size() - first.consumed);
    CHECK(second.outcome == Outcome::error);
    CHECK(second.consumed == 0);
}

TEST_CASE("keeps working after being moved") {
    HttpResponseParser original;
    const std::size_t half = k_content_length.size() / 2;
    REQUIRE(original.feed(k_content_length.data(), half).outcome == Outcome::need_more);
    HttpResponseParser moved = std::move(original);
    const auto result = moved.feed(k_content_length.data() + half, k_content_length.size() - half);
    CHECK(result.outcome == Outcome::response_complete);
    CHECK(moved.status_code() == 200);
}

TEST_CASE("accepts a status line with an empty reason phrase, as hypercorn sends it") {
    const std::string stream =
        "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok"
        "HTTP/1.1 503 \r\ncontent-length: 0\r\n\r\n";
    CHECK(parse_in_pieces(stream, stream.size()) == std::vector<int>{200, 503});
    CHECK(parse_in_pieces(stream, 1) == std::vector<int>{200, 503});
}
