"""targets/tornado-longtask (source 002): the four servers run the long task where the source
ran it (in the request, on the I/O loop, on 4 threads, fire-and-forget on 4 processes), with the
source's timings by default, and each stops at once on SIGTERM with nothing left."""

import concurrent.futures
import importlib.util
import os
import time

from targets_harness import PYTHON, TARGETS, Target, TargetTestCase, descendants

DIR = os.path.join(TARGETS, "tornado-longtask")
STEPS = "50,50,100"  # a 0.2 s task, short enough for a test
TASK_SEC = 0.2


def server(kind, *extra):
    return Target([PYTHON, "server.py", "--server", kind, "--port", "{port}",
                   "--steps-ms", STEPS, *extra], cwd=DIR)


def timed_concurrent_gets(target, n):
    """(statuses, seconds) of n concurrent GET / requests."""
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(n) as clients:
        statuses = list(clients.map(lambda _: target.get("/")[0], range(n)))
    return statuses, time.monotonic() - started


class TornadoLongTask(TargetTestCase):

    def test_defaults_are_the_timings_inferred_from_the_source(self):
        spec = importlib.util.spec_from_file_location("longtask_server",
                                                      os.path.join(DIR, "server.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sync = module.parse_args(["--server", "1_sync"])
        self.assertEqual((sync.server, sync.steps, sync.pool_size), ("sync", (0.2, 0.6, 2.0), 4))
        for name in ("async", "thread", "4_async_processexecutor"):
            args = module.parse_args(["--server", name])
            self.assertEqual(args.steps, (0.02, 0.06, 0.2))
            self.assertAlmostEqual(sum(args.steps), 0.28)

    def test_sync_server_answers_one_request_at_a_time(self):
        with server("sync") as target:
            statuses, elapsed = timed_concurrent_gets(target, 3)
            self.assertEqual(statuses, [200] * 3)
            self.assertGreaterEqual(elapsed, 3 * TASK_SEC - 0.01)
            self.assertStopsCleanly(target)

    def test_async_server_runs_the_task_on_its_loop(self):
        with server("async") as target:
            statuses, elapsed = timed_concurrent_gets(target, 4)
            self.assertEqual(statuses, [200] * 4)
            self.assertGreaterEqual(elapsed, 4 * TASK_SEC - 0.01)  # one at a time
            self.assertStopsCleanly(target)

    def test_thread_server_runs_pool_size_tasks_at_once(self):
        with server("thread", "--pool-size", "2") as target:
            statuses, elapsed = timed_concurrent_gets(target, 4)
            self.assertEqual(statuses, [200] * 4)
            self.assertGreaterEqual(elapsed, 2 * TASK_SEC - 0.01)
            self.assertLess(elapsed, 4 * TASK_SEC)
            self.assertStopsCleanly(target)

    def test_process_server_answers_before_the_task_and_its_pool_stops_with_it(self):
        with server("process") as target:
            pool = descendants(target.proc.pid)
            self.assertEqual(len(pool), 4, "the source's 4 pool processes, started up front")
            statuses, elapsed = timed_concurrent_gets(target, 8)
            self.assertEqual(statuses, [200] * 8)
            self.assertLess(elapsed, TASK_SEC)  # nobody waited for a task
            # 8 queued tasks of 0.2 s on 4 processes are still running: SIGTERM drops them.
            self.assertStopsCleanly(target, within_sec=2.0, extra_pids=pool)

    def test_sigterm_stops_the_async_server_inside_a_task(self):
        with Target([PYTHON, "server.py", "--server", "async", "--port", "{port}",
                     "--steps-ms", "1000,1000,1000"], cwd=DIR) as target:
            with concurrent.futures.ThreadPoolExecutor(2) as clients:
                pending = [clients.submit(target.get, "/", timeout=10) for _ in range(2)]
                time.sleep(0.3)  # the loop is now blocked in the first task's sleep
                self.assertStopsCleanly(target, within_sec=1.0)
                for request in pending:
                    with self.assertRaises(OSError):
                        request.result()
