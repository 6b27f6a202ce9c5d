#include "services/protocol_probes.hpp"

#include <fmt/format.h>

namespace benchctl {

namespace {

constexpr std::uint32_t k_protocol_3_0 = 196608;  // 3 << 16
constexpr std::size_t k_message_header = 5;       // type byte + Int32 length
constexpr std::size_t k_max_quoted = 200;

void append_int32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out += static_cast<char>((value >> shift) & 0xff);
}

std::uint32_t read_int32(std::string_view bytes) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i)
        value = (value << 8) | static_cast<unsigned char>(bytes[i]);
    return value;
}

// The 'M' (message) field of an ErrorResponse body: fields of a type byte and a C string.
std::string error_message(std::string_view body) {
    std::size_t at = 0;
    while (at < body.size() && body[at] != '\0') {
        char type = body[at];
        std::size_t end = body.find('\0', at + 1);
        if (end == std::string_view::npos)
            break;
        if (type == 'M')
            return std::string(body.substr(at + 1, std::min(end - at - 1, k_max_quoted)));
        at = end + 1;
    }
    return "an error without a message";
}

std::string printable(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, k_max_quoted))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

}  // namespace

std::string postgres_startup_message(std::string_view user, std::string_view database) {
    std::string body;
    append_int32(body, k_protocol_3_0);
    for (std::string_view part :
         {std::string_view("user"), user, std::string_view("database"), database}) {
        body += part;
        body += '\0';
    }
    body += '\0';
    std::string message;
    append_int32(message, static_cast<std::uint32_t>(body.size() + 4));
    return message + body;
}

std::optional<ProbeResult> judge_postgres_reply(std::string_view reply) {
    if (reply.empty())
        return std::nullopt;
    if (reply[0] == 'R')
        return ProbeResult{true, ""};
    if (reply[0] != 'E')
        return ProbeResult{
            false, fmt::format("unexpected reply type '{}'", printable(reply.substr(0, 1)))};
    if (reply.size() < k_message_header)
        return std::nullopt;
    std::size_t length = read_int32(reply.substr(1));
    if (reply.size() < 1 + length)
        return std::nullopt;
    return ProbeResult{false, error_message(reply.substr(k_message_header, length - 4))};
}

std::optional<ProbeResult> judge_redis_reply(std::string_view reply) {
    std::size_t end = reply.find("\r\n");
    if (end == std::string_view::npos)
        return std::nullopt;
    std::string_view line = reply.substr(0, end);
    if (line == "+PONG")
        return ProbeResult{true, ""};
    return ProbeResult{false, fmt::format("PING answered '{}'", printable(line))};
}

ProbeResult probe_postgres(std::uint16_t port, const std::string& user,
                           std::chrono::milliseconds timeout) {
    ProbeExchange exchange = exchange_local(
        port, postgres_startup_message(user, "postgres"), timeout,
        [](std::string_view reply) { return judge_postgres_reply(reply).has_value(); });
    if (!exchange.sent.ok)
        return exchange.sent;
    std::optional<ProbeResult> judged = judge_postgres_reply(exchange.reply);
    return judged ? *judged
                  : ProbeResult{false, exchange.reply.empty() ? "no reply" : "an incomplete reply"};
}

ProbeResult probe_redis(std::uint16_t port, std::chrono::milliseconds timeout) {
    ProbeExchange exchange = exchange_local(port, "PING\r\n", timeout, [](std::string_view reply) {
        return judge_redis_reply(reply).has_value();
    });
    if (!exchange.sent.ok)
        return exchange.sent;
    std::optional<ProbeResult> judged = judge_redis_reply(exchange.reply);
    return judged ? *judged
                  : ProbeResult{false, exchange.reply.empty() ? "no reply" : "an incomplete reply"};
}

}  // namespace benchctl
