"""targets/dirty-pool (source 001): both routing designs answer the task actions, spread
requests round-robin with one in flight per worker, show their config in /health, turn a dead
worker into 502/503, and stop on SIGTERM with nothing left."""

import concurrent.futures
import json
import os
import signal
import time

from harness import run_load
from targets_harness import JSON, PYTHON, TARGETS, Target, TargetTestCase

DIR = os.path.join(TARGETS, "dirty-pool")


def dirty_pool(routing, workers=2, threads=1):
    return Target([PYTHON, "server.py", "--port", "{port}", "--workers", str(workers),
                   "--threads", str(threads), "--routing", routing], cwd=DIR)


class DirtyPool(TargetTestCase):

    def test_each_routing_runs_the_actions_and_reports_its_config(self):
        for routing in ("lock", "queue"):
            with self.subTest(routing=routing), dirty_pool(routing) as pool:
                status, doc = pool.get("/health")
                self.assertEqual(status, 200)
                self.assertEqual(doc, {"status": "ok", "config": {
                    "dirty_workers": 2, "dirty_threads": 1, "routing": routing,
                    "timeout_sec": 300.0}})
                status, doc = pool.get("/task/sleep_task?args=5")
                self.assertEqual((status, doc["result"]), (200, {"slept_ms": 5}))
                status, doc = pool.post("/task/mixed_task", json.dumps({"args": [5, 10]}), JSON)
                self.assertEqual(status, 200, doc)
                self.assertEqual(doc["result"]["sleep_ms"], 5)
                self.assertGreaterEqual(doc["result"]["actual_cpu_ms"], 10)
                status, doc = pool.get("/task/cpu_task?args=10&intensity=2")
                self.assertEqual((status, doc["result"]["intensity"]), (200, 2))
                status, doc = pool.get("/task/health")
                self.assertEqual((status, doc["result"]), (200, {"status": "ok"}))
                self.assertEqual(pool.get("/task/sleep_task?args=x")[0], 400)
                self.assertEqual(pool.get("/task/sleep_task?args=-1")[0], 400)
                self.assertEqual(pool.get("/task/sleep_task?args=1,2,3")[0], 400)
                self.assertEqual(pool.get("/task/rm_rf")[0], 404)
                self.assertStopsCleanly(pool)

    def test_requests_go_round_robin_and_each_worker_takes_one_at_a_time(self):
        for routing in ("lock", "queue"):
            with self.subTest(routing=routing), dirty_pool(routing, threads=2) as pool:
                before = [w["routed"] for w in pool.get("/stats")[1]["workers"]]
                run = run_load([pool.url("/task/sleep_task?args=5"), "-t", "1", "-c", "8",
                                "-n", "40", "--timeout", "30s"])
                self.assertEqual(run.returncode, 0, run.describe())
                self.assertEqual(run.doc["status_codes"], {"200": 40})
                after = pool.get("/stats")[1]["workers"]
                self.assertEqual([w["routed"] - b for w, b in zip(after, before)], [20, 20])
                self.assertEqual([w["in_flight"] + w["backlog"] for w in after], [0, 0])
                # Four 200 ms tasks on two workers: two rounds, even with 2 threads per worker.
                started = time.monotonic()
                with concurrent.futures.ThreadPoolExecutor(4) as clients:
                    statuses = list(clients.map(
                        lambda _: pool.get("/task/sleep_task?args=200")[0], range(4)))
                elapsed = time.monotonic() - started
                self.assertEqual(statuses, [200] * 4)
                self.assertGreaterEqual(elapsed, 0.39)
                self.assertStopsCleanly(pool)

    def test_a_dead_worker_answers_502_and_turns_health_503(self):
        with dirty_pool("queue") as pool:
            workers = pool.get("/stats")[1]["workers"]
            os.kill(workers[1]["pid"], signal.SIGKILL)
            deadline = time.monotonic() + 5
            while pool.get("/health")[0] == 200 and time.monotonic() < deadline:
                time.sleep(0.05)
            status, doc = pool.get("/health")
            self.assertEqual((status, doc["status"]), (503, "degraded"))
            statuses = sorted(pool.get("/task/sleep_task?args=1")[0] for _ in range(2))
            self.assertEqual(statuses, [200, 502])
            self.assertStopsCleanly(pool)

    def test_a_wrong_flag_is_refused(self):
        with self.assertRaises(RuntimeError) as caught:
            with Target([PYTHON, "server.py", "--port", "{port}", "--routing", "fifo"], cwd=DIR):
                pass
        self.assertIn("invalid choice: 'fifo'", str(caught.exception))
