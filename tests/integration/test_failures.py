"""Failures are counted by class, every failed request once, and the run carries on and ends."""

import os
import tempfile
import time
import unittest

from harness import LoadTestCase, Nginx, TestServer, find_line, free_port, run_load

CHUNKED_RESPONSE_BYTES = len(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n"
                             b"5\r\nhello\r\n" b"8\r\n, world\n\r\n" b"0\r\n\r\n")
CLOSE_RESPONSE_BYTES = len(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                           b"Content-Length: 6\r\nConnection: close\r\n\r\nhello\n")


class Failures(LoadTestCase):

    def assertRanWithoutCompleting(self, run):
        """No request completed: the figures measure nothing, and load says so with exit 1, a
        warning, and still the whole --json document."""
        self.assertEqual(run.returncode, 1, run.describe())
        self.assertIsNotNone(run.doc, "benchctl load wrote no --json document" + run.describe())
        self.assertEqual(run.doc.get("schema"), "benchctl.load/2", run.describe())
        self.assertIn("warning: no_requests", run.stderr, run.describe())

    def assertAllFailed(self, run, n, **errors):
        self.assertRanWithoutCompleting(run)
        self.assertAccounting(run.doc)
        r = run.doc["requests"]
        self.assertEqual((r["started"], r["completed"], r["failed"], r["in_flight_at_stop"]),
                         (n, 0, n, 0), run.describe())
        self.assertErrors(run.doc, **errors)
        self.assertEqual(run.doc["status_codes"], {})

    def test_unanswered_requests_time_out_and_their_connections_are_replaced(self):
        with TestServer("stall") as server:
            started = time.monotonic()
            run = run_load([server.url(), "-t", "1", "-c", "2", "-n", "4", "--timeout", "500ms"])
            elapsed = time.monotonic() - started
            self.assertAllFailed(run, 4, timeout=4)
            # Two rounds of 500 ms on each connection; a timeout that fires early fails here.
            self.assertGreaterEqual(elapsed, 0.95)
            self.assertLess(elapsed, 5.0)
            self.assertEqual(server.settled_request_count(4), 4,
                             "the server did not see every request")

    def test_refused_connections_are_connect_errors(self):
        port = free_port()  # nothing listens on it
        run = run_load([f"http://127.0.0.1:{port}/", "-t", "1", "-c", "2", "-n", "10"],
                       timeout=30)
        self.assertAllFailed(run, 10, connect=10)
        self.assertIsNotNone(
            find_line(run.stdout, r"  Socket errors: connect 10, read 0, write 0, timeout 0.*"),
            run.describe())

    def test_responses_cut_short_by_a_reset_are_read_errors(self):
        with TestServer("reset") as server:
            run = run_load([server.url(), "-t", "1", "-c", "2", "-n", "20"])
            self.assertAllFailed(run, 20, read=20)
            self.assertEqual(server.settled_request_count(20), 20)
            self.assertIsNotNone(
                find_line(run.stdout, r"  Socket errors: connect 0, read 20, write 0, timeout 0.*"),
                run.describe())

    def test_a_response_before_the_request_was_written_is_a_protocol_error(self):
        # 32 MiB cannot all sit in two loopback socket buffers, so with a server that never reads,
        # the request is still being written when the server's early response arrives.
        with TestServer("early") as server, tempfile.TemporaryDirectory() as tmp:
            body = os.path.join(tmp, "body")
            with open(body, "wb") as f:
                f.write(b"x" * (32 << 20))
            run = run_load([server.url(), "-t", "1", "-c", "1", "-n", "1", "-m", "POST",
                            "--body-file", body, "--timeout", "5s"])
            self.assertAllFailed(run, 1, parse=1)
            self.assertEqual(len(server.events("early")), 1)

    def test_a_response_waiting_when_the_connection_opens_is_a_protocol_error(self):
        # The server answers at accept, before any request. Whether its bytes arrive before the
        # client writes is a race the client cannot always win (a request written in one send can
        # go out first, and is then answered, as far as the wire can tell), but with 200
        # connections opened together most of them have the early bytes waiting when their
        # connect completes. Those must fail as parse errors, never count as responses.
        for attempt in range(3):
            with TestServer("early") as server:
                run = run_load([server.url(), "-t", "1", "-c", "200", "-n", "200",
                                "--timeout", "2s"])
                self.assertAccounting(run.doc)
                r, errors = run.doc["requests"], run.doc["errors"]
                self.assertEqual((r["started"], r["completed"] + errors["parse"]), (200, 200),
                                 run.describe())
                self.assertEqual(len(server.events("early")), 200)
                if errors["parse"] > 0:
                    return
        self.fail("no early response was caught in 3 runs of 200 connections" + run.describe())

    def test_a_second_response_in_the_same_read_is_unsolicited(self):
        with TestServer("double") as server:
            run = run_load([server.url(), "-t", "1", "-c", "1", "-n", "5"])
            self.assertRan(run)
            r = run.doc["requests"]
            self.assertEqual((r["started"], r["completed"], r["failed"]), (5, 5, 0))
            self.assertEqual(run.doc["unsolicited_responses"], 5, run.describe())
            self.assertEqual(run.doc["connections_opened"], 5)  # each surplus closes one
            self.assertIn("warning: unsolicited_responses (suspect)", run.stderr)
            self.assertEqual(server.settled_request_count(5), 5)

    def test_a_response_on_an_idle_connection_is_unsolicited(self):
        # Two requests a second on one connection; each surplus arrives 50 ms after its
        # response, while the connection waits for the schedule (the run ends at the fourth
        # slot, 1.5 s, when it finds no request left to send).
        with TestServer("double", "--gap-ms", "50") as server:
            run = run_load([server.url(), "-t", "1", "-c", "1", "-R", "2", "-n", "3"])
            self.assertRan(run)
            r = run.doc["requests"]
            self.assertEqual((r["started"], r["completed"], r["failed"]), (3, 3, 0))
            self.assertEqual(run.doc["unsolicited_responses"], 3, run.describe())
            self.assertIn("warning: unsolicited_responses (suspect)", run.stderr)

    def test_garbage_status_lines_are_parse_errors(self):
        with TestServer("malformed") as server:
            run = run_load([server.url(), "-t", "1", "-c", "2", "-n", "10"])
            self.assertAllFailed(run, 10, parse=10)
            self.assertEqual(server.settled_request_count(10), 10)

    def test_a_duration_run_against_a_silent_server_ends_on_time(self):
        with TestServer("stall") as server:
            started = time.monotonic()
            run = run_load([server.url(), "-t", "1", "-c", "4", "-d", "2s", "--timeout", "10s"])
            elapsed = time.monotonic() - started
            self.assertRanWithoutCompleting(run)
            self.assertAccounting(run.doc)
            r = run.doc["requests"]
            # One request per connection, all still waiting when the 2 s are up.
            self.assertEqual((r["started"], r["completed"], r["failed"], r["in_flight_at_stop"]),
                             (4, 0, 0, 4), run.describe())
            self.assertLess(elapsed, 4.0, "the run did not stop when its duration was up")
            self.assertAlmostEqual(run.doc["duration_sec"], 2.0, delta=0.25)
            self.assertEqual(server.settled_request_count(4), 4)

    def test_a_duration_run_counts_each_timeout_once(self):
        with TestServer("stall") as server:
            run = run_load([server.url(), "-t", "1", "-c", "2", "-d", "2s", "--timeout", "500ms"])
            self.assertRanWithoutCompleting(run)
            self.assertAccounting(run.doc)
            r = run.doc["requests"]
            self.assertEqual(r["completed"], 0)
            self.assertEqual(r["failed"], run.doc["errors"]["timeout"])
            # Each connection times out at about 0.5, 1.0, 1.5 (and perhaps 2.0) s.
            self.assertGreaterEqual(run.doc["errors"]["timeout"], 5, run.describe())
            self.assertLessEqual(run.doc["errors"]["timeout"], 8, run.describe())
            self.assertEqual(r["started"], server.settled_request_count(r["started"]),
                             "benchctl's started requests are not those the server read")

    def test_a_connection_the_server_closed_while_idle_is_reopened_without_an_error(self):
        # At 1 request/s per connection, nginx closes each idle connection after 300 ms; the next
        # request must go on a new connection, not fail on the closed one.
        with Nginx(keepalive_timeout="300ms") as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "2", "-R", "2", "-d", "3s"])
            self.assertRan(run)
            self.assertAccounting(run.doc)
            self.assertErrors(run.doc)
            r = run.doc["requests"]
            self.assertGreaterEqual(r["completed"], 5)
            expected = r["completed"] + r["in_flight_at_stop"]
            self.assertEqual(nginx.settled_request_count(at_least=expected), expected)

    def test_chunked_responses_all_complete(self):
        with TestServer("chunked") as server:
            run = run_load([server.url(), "-t", "1", "-c", "4", "-n", "500"])
            self.assertRan(run)
            r = run.doc["requests"]
            self.assertEqual((r["started"], r["completed"], r["failed"]), (500, 500, 0))
            self.assertErrors(run.doc)
            self.assertEqual(run.doc["status_codes"], {"200": 500})
            self.assertEqual(run.doc["bytes_read"], 500 * CHUNKED_RESPONSE_BYTES)
            self.assertEqual(server.settled_request_count(500), 500)

    def test_responses_that_close_the_connection_all_complete(self):
        with TestServer("close") as server:
            run = run_load([server.url(), "-t", "1", "-c", "4", "-n", "500"])
            self.assertRan(run)
            r = run.doc["requests"]
            self.assertEqual((r["started"], r["completed"], r["failed"]), (500, 500, 0))
            self.assertErrors(run.doc)
            self.assertEqual(run.doc["status_codes"], {"200": 500})
            self.assertEqual(run.doc["bytes_read"], 500 * CLOSE_RESPONSE_BYTES)
            self.assertEqual(server.settled_request_count(500), 500)


if __name__ == "__main__":
    unittest.main()
