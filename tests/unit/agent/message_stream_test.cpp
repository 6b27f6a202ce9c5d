#include "agent/message_stream.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

using benchctl::FdMessageSink;
using benchctl::LineReader;
using benchctl::parse_message;
using namespace std::chrono_literals;

namespace {

struct Pipe {
    int fds[2];
    Pipe() { REQUIRE(pipe2(fds, O_CLOEXEC) == 0); }
    ~Pipe() {
        close_read();
        close_write();
    }
    void put(const std::string& text) {
        REQUIRE(write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    void close_read() {
        if (fds[0] >= 0)
            close(fds[0]);
        fds[0] = -1;
    }
    void close_write() {
        if (fds[1] >= 0)
            close(fds[1]);
        fds[1] = -1;
    }
};

}  // namespace

TEST_CASE("a line reader joins a line written in pieces and splits lines written together") {
    Pipe pipe;
    LineReader reader(pipe.fds[0]);
    std::string line;
    pipe.put("{\"a\":");
    CHECK(reader.next(line, 20ms) == LineReader::Status::timeout);
    pipe.put("1}\n{\"b\":2}\n{\"c\"");
    REQUIRE(reader.next(line, 1000ms) == LineReader::Status::line);
    CHECK(line == "{\"a\":1}");
    REQUIRE(reader.next(line, 1000ms) == LineReader::Status::line);
    CHECK(line == "{\"b\":2}");
    pipe.put(":3}");
    pipe.close_write();
    // The last line has no newline: it is still a line, then the end.
    REQUIRE(reader.next(line, 1000ms) == LineReader::Status::line);
    CHECK(line == "{\"c\":3}");
    CHECK(reader.next(line, 1000ms) == LineReader::Status::end);
}

TEST_CASE("a line reader refuses a line longer than the message limit") {
    Pipe pipe;
    LineReader reader(pipe.fds[0]);
    std::thread writer([&] {
        // The reader gives up and closes its end while this thread still writes: EPIPE here,
        // not a SIGPIPE that kills the test.
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
        std::string block(1024 * 1024, 'x');
        for (std::size_t written = 0; written <= benchctl::k_max_message_bytes;
             written += block.size()) {
            if (write(pipe.fds[1], block.data(), block.size()) < 0)
                break;
        }
        pipe.close_write();
    });
    std::string line;
    CHECK(reader.next(line, 10000ms) == LineReader::Status::too_long);
    pipe.close_read();
    writer.join();
}

TEST_CASE("a message sink writes one line per message and replaces invalid UTF-8") {
    Pipe pipe;
    FdMessageSink sink(pipe.fds[1]);
    REQUIRE(sink.write({{"text", std::string("a\nb\xff")}}));
    REQUIRE(sink.write({{"n", 2}}));
    pipe.close_write();
    LineReader reader(pipe.fds[0]);
    std::string line;
    REQUIRE(reader.next(line) == LineReader::Status::line);
    auto first = parse_message(line);
    REQUIRE(first.has_value());
    CHECK((*first)["text"] == "a\nb\xEF\xBF\xBD");
    REQUIRE(reader.next(line) == LineReader::Status::line);
    CHECK(line == "{\"n\":2}");
}

TEST_CASE("a message sink whose reader is gone reports it instead of killing the process") {
    Pipe pipe;
    pipe.close_read();
    FdMessageSink sink(pipe.fds[1]);
    CHECK_FALSE(sink.write({{"n", 1}}));  // EPIPE, and no SIGPIPE reached the test process
    CHECK(sink.broken());
    CHECK_FALSE(sink.write({{"n", 2}}));
}

TEST_CASE("only a JSON object is a message") {
    CHECK(parse_message("{\"id\":1}").has_value());
    CHECK_FALSE(parse_message("[1,2]").has_value());
    CHECK_FALSE(parse_message("Welcome to host b").has_value());
    CHECK_FALSE(parse_message("{\"id\":").has_value());
}
