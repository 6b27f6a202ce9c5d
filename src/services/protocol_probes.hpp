#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "launch/probe.hpp"

namespace benchctl {

// PostgreSQL's readiness, judged as pg_isready judges it: a protocol 3.0 StartupMessage for
// `user` and database postgres; the server is ready when it answers with an authentication
// request ('R'). An ErrorResponse (57P03 "the database system is starting up") is not ready and
// its message is the detail. The connection is then closed, which the server takes
// silently during authentication.
ProbeResult probe_postgres(std::uint16_t port, const std::string& user,
                           std::chrono::milliseconds timeout);

// redis's readiness: PING answered with +PONG. An error reply (-LOADING while it reads its data
// set) is not ready and is the detail.
ProbeResult probe_redis(std::uint16_t port, std::chrono::milliseconds timeout);

// The bytes of a protocol 3.0 StartupMessage for `user` and `database`.
std::string postgres_startup_message(std::string_view user, std::string_view database);

// The judgement of a (possibly partial) reply to the startup message: nullopt while more bytes
// are needed to tell.
std::optional<ProbeResult> judge_postgres_reply(std::string_view reply);

// The judgement of a (possibly partial) reply to PING: nullopt until a whole line came.
std::optional<ProbeResult> judge_redis_reply(std::string_view reply);

}  // namespace benchctl
