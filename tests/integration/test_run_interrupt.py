"""SIGINT in the middle of `benchctl run`: the load stops, the target stops, the results measured
so far stay valid, the manifest says interrupted, exit code 130, and no process is left.
`--resume` then runs only the cells not done, and refuses a matrix that changed."""

import os
import signal
import time
import unittest

from run_harness import RunTestCase, cell_entry, load_json

MATRIX = """\
name: interrupt
axes:
  behaviour: [ok, daemonize, ignore_term]
  round: [a, b]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", "${behaviour}", "${port}", --tag, "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 5s}
  stop: {signal: TERM, grace: 4s}
load:
  threads: 1
  connections: 2
  duration: 2s
"""

CELLS = ["ok.a", "ok.b", "daemonize.a", "daemonize.b", "ignore_term.a", "ignore_term.b"]


class RunInterrupt(RunTestCase):

    def wait_for_done_cells(self, run_dir, count, proc, deadline_sec=60):
        """Waits until the manifest lists `count` cells done; returns the manifest."""
        deadline = time.monotonic() + deadline_sec
        while time.monotonic() < deadline:
            self.assertIsNone(proc.poll(), "benchctl ended before it was interrupted")
            try:
                manifest = load_json(os.path.join(run_dir, "manifest.json"))
                if sum(e["status"] == "done" for e in manifest["cells"]) >= count:
                    return manifest
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        self.fail(f"{count} cells were not done within {deadline_sec}s")

    @staticmethod
    def log_says(path, text):
        try:
            with open(path) as f:
                return text in f.read()
        except OSError:
            return False

    def interrupt(self, proc, signals):
        for sig in signals:
            proc.send_signal(sig)
            time.sleep(0.2)
        started = time.monotonic()
        out, err = proc.communicate(timeout=30)
        return proc.returncode, time.monotonic() - started, out + err

    def test_sigint_keeps_partial_results_and_resume_runs_only_the_rest(self):
        matrix = self.write_matrix(MATRIX)
        run_dir = os.path.join(self.dir, "run")
        proc = self.start_benchctl("run", matrix, "--out", run_dir)
        self.wait_for_done_cells(run_dir, 2, proc)
        time.sleep(0.8)  # into the third cell's load
        code, _, output = self.interrupt(proc, [signal.SIGINT])
        self.assertEqual(code, 130, output)
        self.assertNoProcessLeft()

        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "interrupted")
        statuses = [cell_entry(manifest, c)["status"] for c in CELLS]
        self.assertEqual(statuses[:2], ["done", "done"], manifest["cells"])
        self.assertIn(statuses[2], ("interrupted", "done"), manifest["cells"])
        self.assertTrue(all(s == "pending" for s in statuses[3:]), manifest["cells"])
        first = {}
        for c in CELLS[:2]:
            with open(os.path.join(run_dir, "cells", f"{c}.json")) as f:
                first[c] = f.read()

        resumed = self.run_benchctl("run", matrix, "--resume", run_dir)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertIn("2 done before", resumed.stderr)
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "complete")
        self.assertEqual([cell_entry(manifest, c)["status"] for c in CELLS], ["done"] * 6)
        if statuses[2] == "interrupted":  # its partial result was kept, not overwritten
            kept = os.path.join(run_dir, "cells", "superseded", f"{CELLS[2]}.json.1")
            self.assertEqual(load_json(kept)["status"], "interrupted")
        for c in CELLS[:2]:  # the cells done before were not run again
            with open(os.path.join(run_dir, "cells", f"{c}.json")) as f:
                self.assertEqual(f.read(), first[c], c)

    def test_a_second_sigint_skips_the_grace_period(self):
        matrix = self.write_matrix(MATRIX.replace("[ok, daemonize, ignore_term]", "[ignore_term]"))
        run_dir = os.path.join(self.dir, "run")
        proc = self.start_benchctl("run", matrix, "--out", run_dir)
        # Wait for the first cell's load to be under way.
        log = os.path.join(run_dir, "logs", "ignore_term.a.log")
        deadline = time.monotonic() + 20
        while not self.log_says(log, "listening"):
            self.assertLess(time.monotonic(), deadline, "the target never started")
            time.sleep(0.05)
        time.sleep(0.5)
        code, elapsed, output = self.interrupt(proc, [signal.SIGINT, signal.SIGINT])
        self.assertEqual(code, 130, output)
        # The target ignores SIGTERM and its grace is 4 s: the second SIGINT must not wait it out.
        self.assertLess(elapsed, 2.5, output)
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "interrupted")

    def test_resume_refuses_a_matrix_that_changed(self):
        matrix = self.write_matrix(MATRIX.replace("[ok, daemonize, ignore_term]", "[ok]")
                                   .replace("duration: 2s", "duration: 1s"))
        run_dir = os.path.join(self.dir, "run")
        first = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(first.returncode, 0, first.stderr)
        with open(os.path.join(run_dir, "manifest.json")) as f:
            before = f.read()
        with open(matrix, "a") as f:
            f.write("repeat: 2\n")
        refused = self.run_benchctl("run", matrix, "--resume", run_dir)
        self.assertEqual(refused.returncode, 2, refused.stderr)
        self.assertIn("changed", refused.stderr)
        with open(os.path.join(run_dir, "manifest.json")) as f:
            self.assertEqual(f.read(), before)


if __name__ == "__main__":
    unittest.main()
