"""With -R, latency is measured from each request's intended send time (wrk2's model), so a server
that stalls shows in the percentiles; a closed-loop client hides the stall (coordinated omission).

The freeze server answers at once, except that every P ms its whole loop sleeps for F ms. Requests
arrive at a constant rate R whatever the server does, so a fraction F/P of them are due during a
freeze and wait until it ends: for a request due at time t inside a freeze that ends at e, the
latency is e - t, uniform over [0, F]. All others see about the base latency (< 1 ms). Hence
    P(latency > x) = (F/P) * (1 - x/F)   for 0 <= x <= F,
and with F/P = 0.2: p50 and p75 are about the base latency, p90 = F/2, p95 = 3F/4, p99 = 0.95 F.

The test does not rely on the formula alone: it replays the freezes the server logged (start and
end, CLOCK_MONOTONIC) against the run's schedule of intended send times, and compares the measured
percentiles with those of that replay. The formula is checked against the replay as a sanity check
of the server.
"""

import math
import time
import unittest

from harness import LoadTestCase, TestServer, run_load

PERIOD_MS = 1000
FREEZE_MS = 200
RATE = 400          # requests/s; about 80 are due in each freeze
CONNECTIONS = 20    # enough to drain a freeze's backlog in a few ms, few enough that the requests
                    # caught in flight by a freeze (one per connection) are a small fraction
DURATION_SEC = 6    # a whole number of periods: the frozen fraction does not depend on the phase
WARMUP = "1s"

# Latency slack: the backlog of a freeze (~80 requests) drains in a few ms on a loaded 2-core box.
TOLERANCE_MS = 0.1 * FREEZE_MS + 5


def replay_latencies_ms(freezes, window_start, window_end, rate):
    """Latency, in ms, of requests due at a constant rate in the window, given the freezes."""
    latencies = []
    count = int(round((window_end - window_start) * rate))
    j = 0
    for i in range(count):
        t = window_start + i / rate
        while j < len(freezes) and freezes[j][1] <= t:
            j += 1
        if j < len(freezes) and freezes[j][0] <= t:
            latencies.append((freezes[j][1] - t) * 1000.0)
        else:
            latencies.append(0.0)
    return sorted(latencies)


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


class RateLatency(LoadTestCase):

    @classmethod
    def setUpClass(cls):
        # One server and two runs shared by the tests: the whole file stays near 15 s.
        cls.server = TestServer("freeze", "--period-ms", PERIOD_MS, "--freeze-ms", FREEZE_MS)
        cls.server.__enter__()
        try:
            cls.rate_run = run_load([cls.server.url(), "-t", "1", "-c", str(CONNECTIONS),
                                     "-R", str(RATE), "-d", f"{DURATION_SEC}s",
                                     "--warmup", WARMUP, "--timeout", "2s"])
            cls.rate_run_end = time.monotonic()
            cls.closed_run = run_load([cls.server.url(), "-t", "1", "-c", "10", "-d", "3s"])
            cls.freezes = [(float(s), float(e)) for s, e in cls.server.events("freeze")]
        except BaseException:
            cls.server.__exit__(None, None, None)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def expected_percentiles(self):
        doc = self.rate_run.doc
        window_end = self.rate_run_end
        window_start = window_end - doc["duration_sec"]
        replay = replay_latencies_ms(self.freezes, window_start, window_end, RATE)
        frozen = sum(max(0.0, min(e, window_end) - max(s, window_start))
                     for s, e in self.freezes) / (window_end - window_start)
        return {f"p{p}": percentile(replay, p) for p in (50, 75, 90, 95, 99)}, frozen

    def test_the_server_froze_as_asked(self):
        self.assertRan(self.rate_run)
        _, frozen = self.expected_percentiles()
        self.assertAlmostEqual(frozen, FREEZE_MS / PERIOD_MS, delta=0.05,
                               msg=f"the freeze server did not inject its freezes: {self.freezes}")

    def test_rate_mode_percentiles_match_the_freezes_the_server_logged(self):
        self.assertRan(self.rate_run)
        self.assertAccounting(self.rate_run.doc)
        self.assertErrors(self.rate_run.doc)
        expected, _ = self.expected_percentiles()
        measured = self.rate_run.doc["latency_ms"]
        report = (f"\nexpected (replayed freezes): {expected}\nmeasured: {measured}"
                  f"\nfreezes: {self.freezes}")
        # Most requests never meet a freeze.
        self.assertLess(measured["p50"], 0.05 * FREEZE_MS, report)
        self.assertLess(measured["p75"], 0.1 * FREEZE_MS, report)
        # The tail is the freezes: p90 ~ F/2, p95 ~ 3F/4, p99 ~ 0.95 F. Latency from the actual
        # send (coordinated omission) would put p90 near zero here.
        for p in ("p90", "p95", "p99"):
            self.assertAlmostEqual(measured[p], expected[p], delta=TOLERANCE_MS,
                                   msg=f"{p} is off{report}")
        longest_freeze_ms = max(e - s for s, e in self.freezes) * 1000.0
        self.assertGreater(measured["max"], 0.8 * FREEZE_MS, report)
        self.assertLess(measured["max"], longest_freeze_ms + 50.0, report)

    def test_the_formula_agrees_with_the_replay(self):
        # Guards the replay itself: with F/P = 0.2 the formula gives p90 = F/2, p99 = 0.95 F.
        self.assertRan(self.rate_run)
        expected, _ = self.expected_percentiles()
        self.assertAlmostEqual(expected["p90"], FREEZE_MS / 2, delta=TOLERANCE_MS)
        self.assertAlmostEqual(expected["p99"], 0.95 * FREEZE_MS, delta=TOLERANCE_MS)

    def test_service_time_from_the_actual_send_hides_most_of_the_freezes(self):
        # Only the requests a freeze caught in flight (one per connection) wait in service time;
        # the ones due during a freeze are sent when it ends and are served at once.
        doc = self.rate_run.doc
        self.assertRan(self.rate_run)
        self.assertIn("service_time_ms", doc)
        self.assertLess(doc["service_time_ms"]["p90"], 0.25 * doc["latency_ms"]["p90"],
                        f"latency {doc['latency_ms']}\nservice time {doc['service_time_ms']}")
        self.assertLessEqual(doc["service_time_ms"]["max"], doc["latency_ms"]["max"])

    def test_a_closed_loop_client_hides_the_freezes(self):
        # Documents why -R exists: without it, each connection waits out a freeze with one request
        # and sends nothing meanwhile, so the freeze leaves a handful of slow samples among
        # thousands of fast ones, and p90 stays far below the F/2 that rate mode measures.
        run = self.closed_run
        self.assertRan(run)
        self.assertAccounting(run.doc)
        self.assertErrors(run.doc)
        latency = run.doc["latency_ms"]
        self.assertGreater(latency["max"], 0.5 * FREEZE_MS,
                           f"the closed-loop run met no freeze: {latency}")
        self.assertLess(latency["p90"], 0.1 * FREEZE_MS, latency)
        self.assertLess(latency["p90"], self.rate_run.doc["latency_ms"]["p90"] / 4, latency)
        self.assertNotIn("rate", run.doc)
        self.assertNotIn("service_time_ms", run.doc)

    def test_the_schedule_holds_the_rate(self):
        doc = self.rate_run.doc
        self.assertRan(self.rate_run)
        rate = doc["rate"]
        self.assertEqual(rate["target_per_sec"], RATE)
        self.assertEqual(doc["settings"]["rate_per_sec"], RATE)
        expected = RATE * doc["duration_sec"]
        self.assertAlmostEqual(rate["scheduled"], expected, delta=0.02 * expected + 2, msg=rate)
        # A stop can fall in a freeze: up to one freeze's worth of requests is then still due.
        self.assertLessEqual(rate["unsent_at_stop"], RATE * FREEZE_MS / 1000 + CONNECTIONS)
        r = doc["requests"]
        self.assertAlmostEqual(r["started"], rate["scheduled"] - rate["unsent_at_stop"],
                               delta=CONNECTIONS, msg=f"{r} {rate}")
        self.assertAlmostEqual(doc["requests_per_sec"], RATE, delta=0.06 * RATE)
        self.assertGreater(doc["warmup_requests"], 0.8 * RATE * 1.0, "no warm-up at the rate")

    def test_the_timeline_has_one_entry_per_second(self):
        doc = self.rate_run.doc
        self.assertRan(self.rate_run)
        timeline = doc["timeline"]
        d = doc["duration_sec"]
        self.assertIn(len(timeline), {math.floor(d), math.ceil(d)}, timeline)
        seconds = [entry["second"] for entry in timeline]
        self.assertEqual(seconds, list(range(seconds[0], seconds[0] + len(seconds))))
        self.assertIn(seconds[0], (0, 1))
        self.assertEqual(sum(e["completed"] for e in timeline), doc["requests"]["completed"])
        self.assertEqual(sum(e["failed"] for e in timeline), doc["requests"]["failed"])
        self.assertEqual(sum(e["bytes_read"] for e in timeline), doc["bytes_read"])
        # Each full second holds one freeze and the catch-up after it: about R completions.
        for entry in timeline[:math.floor(d)]:
            self.assertAlmostEqual(entry["completed"], RATE, delta=0.35 * RATE, msg=timeline)
            self.assertLessEqual(entry["p50_ms"], entry["p99_ms"])


if __name__ == "__main__":
    unittest.main()
