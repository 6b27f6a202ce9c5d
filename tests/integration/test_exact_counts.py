"""Request accounting is exact: what benchctl says it sent is what nginx logged.

nginx's access log is the independent witness: one line per request nginx finished.
"""

import unittest

from harness import BIG_BODY, LoadTestCase, Nginx, run_load


class ExactCounts(LoadTestCase):

    def assertExactRun(self, run, nginx, expected):
        """Exactly `expected` requests started, all completed with 200, all logged by nginx."""
        self.assertRan(run)
        r = run.doc["requests"]
        self.assertEqual((r["started"], r["completed"], r["failed"], r["in_flight_at_stop"]),
                         (expected, expected, 0, 0), run.describe())
        self.assertErrors(run.doc)
        self.assertEqual(run.doc["status_codes"], {"200": expected})
        self.assertEqual(nginx.settled_request_count(at_least=expected), expected,
                         "nginx's access log disagrees with benchctl")
        self.assertEqual(nginx.status_counts(), {200: expected})

    def test_n_requests_sends_exactly_n(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "20", "-n", "5000"])
            self.assertExactRun(run, nginx, 5000)

    def test_n_not_a_multiple_of_connections_is_still_exact(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "7", "-n", "1003"])
            self.assertExactRun(run, nginx, 1003)

    def test_iterations_send_exactly_k_per_connection(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "8", "--iterations", "50"])
            self.assertExactRun(run, nginx, 400)
            self.assertEqual(run.doc["settings"]["stop_rule"], "iterations")

    def test_n_requests_is_exact_when_nginx_closes_after_every_response(self):
        # keepalive_timeout 0: every request needs a new connection.
        with Nginx(keepalive=False) as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "10", "-n", "1000"])
            self.assertExactRun(run, nginx, 1000)

    def test_n_requests_is_exact_across_two_threads(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "2", "-c", "20", "-n", "2001"])
            self.assertExactRun(run, nginx, 2001)
            self.assertEqual(run.doc["settings"]["threads"], 2)

    def test_iterations_are_exact_across_two_threads_without_keepalive(self):
        with Nginx(keepalive=False) as nginx:
            run = run_load([nginx.url(), "-t", "2", "-c", "6", "--iterations", "40"])
            self.assertExactRun(run, nginx, 240)

    def test_large_responses_are_read_whole(self):
        # 1 MiB bodies span many reads and fill the socket buffers.
        with Nginx() as nginx:
            run = run_load([nginx.url("/big"), "-t", "1", "-c", "4", "-n", "200"])
            self.assertExactRun(run, nginx, 200)
            per_response, rest = divmod(run.doc["bytes_read"], 200)
            self.assertEqual(rest, 0, "responses of one size were counted with different sizes")
            self.assertGreater(per_response, len(BIG_BODY))
            self.assertLess(per_response, len(BIG_BODY) + 512, "more than body plus headers")

    def test_warmup_requests_are_sent_on_top_of_n_and_counted_apart(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "4", "-n", "1000", "--warmup", "200"])
            self.assertRan(run)
            self.assertEqual(run.doc["warmup_requests"], 200)
            self.assertEqual(run.doc["settings"]["warmup"]["requests"], 200)
            r = run.doc["requests"]
            self.assertEqual((r["started"], r["completed"], r["failed"]), (1000, 1000, 0))
            self.assertEqual(nginx.settled_request_count(at_least=1200), 1200)

    def test_a_warmup_period_is_counted_apart_from_n(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "4", "-n", "1000", "--warmup", "500ms"])
            self.assertRan(run)
            self.assertEqual(run.doc["settings"]["warmup"]["period_sec"], 0.5)
            self.assertEqual(run.doc["requests"]["completed"], 1000)
            self.assertGreater(run.doc["warmup_requests"], 0)
            expected = 1000 + run.doc["warmup_requests"]
            self.assertEqual(nginx.settled_request_count(at_least=expected), expected)

    def test_duration_run_accounts_for_every_request_nginx_saw(self):
        # A duration run stops with requests in flight; nginx still finishes and logs those, so
        # its log holds completed + in_flight_at_stop lines, no more, no fewer.
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "2", "-c", "20", "-d", "2s"])
            self.assertRan(run)
            self.assertAccounting(run.doc)
            r = run.doc["requests"]
            self.assertErrors(run.doc)
            self.assertGreater(r["completed"], 1000, "a 2 s run against nginx did almost nothing")
            self.assertLessEqual(r["in_flight_at_stop"], 20, "more in flight than connections")
            expected = r["completed"] + r["in_flight_at_stop"]
            self.assertEqual(nginx.settled_request_count(at_least=expected), expected,
                             f"nginx's access log disagrees with benchctl: {r}")
            self.assertEqual(run.doc["status_codes"], {"200": r["completed"]})
            self.assertAlmostEqual(run.doc["duration_sec"], 2.0, delta=0.25)

    def test_duration_run_with_warmup_accounts_for_every_request_nginx_saw(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "8", "-d", "1s", "--warmup", "300"])
            self.assertRan(run)
            self.assertAccounting(run.doc)
            r = run.doc["requests"]
            self.assertEqual(run.doc["warmup_requests"], 300)
            expected = r["completed"] + r["in_flight_at_stop"] + 300
            self.assertEqual(nginx.settled_request_count(at_least=expected), expected,
                             f"nginx's access log disagrees with benchctl: {r}")


if __name__ == "__main__":
    unittest.main()
