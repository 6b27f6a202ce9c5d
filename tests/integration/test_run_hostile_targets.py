"""Targets whose output or tools are hostile fail their own cell, never the run, and never hold it
past its timeouts: a 100,000-character log line, a readiness pattern with catastrophic
backtracking, and a `version` command that never ends (killed, and reported)."""

import os
import time
import unittest

from run_harness import RunTestCase, cell_entry, load_json

# Each cell's target prints one line and then serves; readiness watches the log.
LOG_MATRIX = """\
name: hostile_logs
axes:
  case:
    - name: long_line
      target:
        command: ["@PYTHON@", "-c", "import os, sys; print('x' * 100000, flush=True);
                   print('ready to serve', flush=True);
                   os.execv(sys.executable, [sys.executable, '@FAKE_TARGET@', 'ok', '${port}',
                   '--tag', '${env:FAKE_TAG}'])"]
        ready: {log: "(x|y)*ready to serve", timeout: 10s}
    - name: backtracking
      target:
        command: ["@PYTHON@", "-c", "import os, sys; print('a' * 28 + '!', flush=True);
                   os.execv(sys.executable, [sys.executable, '@FAKE_TARGET@', 'ok', '${port}',
                   '--tag', '${env:FAKE_TAG}'])"]
        ready: {log: "(a+)+$", timeout: 3s}
load:
  threads: 1
  connections: 2
  duration: 1s
"""

VERSION_MATRIX = """\
name: hanging_version
axes:
  round: [a]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", ok, "${port}", --tag, "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 10s}
  version: ["@PYTHON@", "-c", "import sys, time; print('server 1.0', flush=True); time.sleep(300)",
            "${env:FAKE_TAG}"]
load:
  threads: 1
  connections: 2
  duration: 1s
"""


class HostileReadiness(RunTestCase):

    def test_a_long_line_is_matched_and_a_backtracking_pattern_fails_its_cell_in_time(self):
        matrix = self.write_matrix(LOG_MATRIX)
        run_dir = os.path.join(self.dir, "run")
        started = time.monotonic()
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        took = time.monotonic() - started
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 1, output)
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "complete", output)
        self.assertEqual(cell_entry(manifest, "long_line")["status"], "done", output)
        backtracking = cell_entry(manifest, "backtracking")
        self.assertEqual(backtracking["status"], "failed", output)
        self.assertIn("needs too much backtracking", backtracking["reason"])
        cell = load_json(os.path.join(run_dir, backtracking["file"]))
        # Failed at the first line, well within its 3 s readiness timeout.
        self.assertLess(cell["target"]["ready_seconds"], 3.0)
        self.assertLess(took, 30, output)


class HangingVersionCommand(RunTestCase):

    def test_is_killed_reported_and_recorded_as_unknown(self):
        matrix = self.write_matrix(VERSION_MATRIX)
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertNoProcessLeft()
        self.assertRegex(result.stderr, r"benchctl: warning: cell a: `.*time\.sleep\(300\).*` did "
                                        r"not finish within 10s; it was killed")
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["tool_versions"]["a"],
                         "server 1.0 (the version command did not finish within 10s)")


if __name__ == "__main__":
    unittest.main()
