"""A run directory whose file system fills up during a run, for real (a small tmpfs, so root
only): the measurement is kept elsewhere, the run fails with exit 4 (not 2, the bad-input code)
and says how to resume, and `benchctl run --resume DIR` alone (matrix, --set and --only from the
manifest) finishes it once there is space again."""

import json
import os
import subprocess
import time
import unittest

from run_harness import RunTestCase, cell_entry, load_json

# Fills the file system of argv[1] (once: a marker remembers it) to leave two 4 KiB pages free,
# then becomes the target: its log line and a new manifest still fit, a cell file (8 KiB or more:
# the load document's histogram and timeline) does not.
FILL = """\
import os, sys
run_dir = sys.argv[1]
marker = os.path.join(run_dir, "filled")
if not os.path.exists(marker):
    open(marker, "w").close()
    stat = os.statvfs(run_dir)
    with open(os.path.join(run_dir, "filler"), "wb") as f:
        f.write(b"\\0" * max(0, stat.f_bavail * stat.f_frsize - 8192))
os.execv(sys.argv[2], sys.argv[2:])
"""

MATRIX = """\
name: disk-full
axes:
  size: [small]
target:
  command: ["@PYTHON@", "@FILL@", "${run_dir}", "@PYTHON@", "@FAKE_TARGET@", ok, "${port}",
            --tag, "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 5s}
  stop: {signal: TERM, grace: 1s}
load:
  threads: 1
  connections: 2
  duration: 1s
"""


class RunStorage(RunTestCase):

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs needs root")
        self.disk = os.path.join(self.dir, "disk")
        os.mkdir(self.disk)
        mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", self.disk],
                               capture_output=True, text=True)
        if mount.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {mount.stderr.strip()}")
        self.addCleanup(subprocess.run, ["umount", "-l", self.disk])
        self.rescue = os.path.join(self.dir, "tmp")
        os.mkdir(self.rescue)

    def env(self):
        env = super().env()
        env["TMPDIR"] = self.rescue  # where the document goes when the run directory refuses it
        return env

    def test_a_full_disk_keeps_the_figures_fails_with_4_and_resume_alone_finishes(self):
        fill = os.path.join(self.dir, "fill.py")
        with open(fill, "w") as f:
            f.write(FILL)
        matrix = self.write_matrix(MATRIX.replace("@FILL@", fill))
        run_dir = os.path.join(self.disk, "run")
        result = self.run_benchctl("run", matrix, "--out", run_dir, "--set", "load.timeout=3s")
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 4, output)
        self.assertIn("could not be written", result.stderr)
        self.assertIn("No space left on device", result.stderr)
        self.assertIn(f"benchctl run --resume {run_dir}", result.stderr)
        self.assertNoProcessLeft()

        # The measurement is not lost: the whole cell document, in TMPDIR.
        rescued = os.path.join(self.rescue, "benchctl-rescue-run", "small.json")
        self.assertIn(rescued, result.stderr)
        cell = load_json(rescued)
        self.assertEqual((cell["cell"], cell["status"]), ("small", "done"))
        self.assertGreater(cell["load"]["requests"]["completed"], 0)

        # The manifest (small enough to fit) says what happened, never "running".
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        self.assertEqual(manifest["status"], "failed", output)
        self.assertIn("No space left on device", manifest["failure"])

        # Space again; resume with the run directory alone.
        os.unlink(os.path.join(run_dir, "filler"))
        result = self.run_benchctl("run", "--resume", run_dir)
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "complete", output)
        self.assertEqual(manifest["matrix"]["overrides"], ["load.timeout=3s"])
        self.assertEqual(cell_entry(manifest, "small")["status"], "done")
        self.assertNoProcessLeft()


LONG_MATRIX = """\
name: locked
axes:
  size: [small]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", ok, "${port}", --tag, "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 5s}
  stop: {signal: TERM, grace: 1s}
load:
  threads: 1
  connections: 2
  duration: 3s
"""


class RunLock(RunTestCase):

    def test_a_second_run_on_the_same_directory_is_refused_naming_the_first(self):
        matrix = self.write_matrix(LONG_MATRIX)
        run_dir = os.path.join(self.dir, "run")
        first = self.start_benchctl("run", matrix, "--out", run_dir)
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(os.path.join(run_dir, "manifest.json")):
                self.assertLess(time.monotonic(), deadline, "the first run never started")
                time.sleep(0.05)
            for args in (["--resume", run_dir], [matrix, "--out", run_dir]):
                second = self.run_benchctl("run", *args)
                self.assertEqual(second.returncode, 2, second.stderr)
                self.assertIn(f"another benchctl (pid {first.pid} on host", second.stderr)
        finally:
            out, err = first.communicate(timeout=60)
        self.assertEqual(first.returncode, 0, err)
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "complete")
        self.assertEqual(os.listdir(os.path.join(run_dir, "cells")), ["small.json"])
        self.assertNoProcessLeft()

    def test_a_run_killed_with_sigkill_reads_as_abandoned_and_resumes(self):
        matrix = self.write_matrix(LONG_MATRIX)
        run_dir = os.path.join(self.dir, "run")
        first = self.start_benchctl("run", matrix, "--out", run_dir)
        deadline = time.monotonic() + 10
        while not os.path.exists(os.path.join(run_dir, "manifest.json")):
            self.assertLess(time.monotonic(), deadline, "the run never started")
            time.sleep(0.05)
        first.kill()
        first.communicate(timeout=30)
        self.assertNoProcessLeft()
        # The manifest cannot say what happened; its lock, gone with the process, does.
        self.assertEqual(load_json(os.path.join(run_dir, "manifest.json"))["status"], "running")
        report = self.run_benchctl("report", run_dir)
        self.assertEqual(report.returncode, 0, report.stderr)
        self.assertIn("abandoned", report.stdout)
        resumed = self.run_benchctl("run", "--resume", run_dir)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertIn("was abandoned", resumed.stderr)
        self.assertEqual(self.assertRunDirectoryValid(run_dir)["status"], "complete")
        self.assertNoProcessLeft()


if __name__ == "__main__":
    unittest.main()
