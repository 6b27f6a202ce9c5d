"""A load thread the system refuses (RLIMIT_NPROC, a container's pids.max) must not abort benchctl
(`terminate called without an active exception`): `benchctl load` exits 2 with a message naming
the limit; in `benchctl run` the cell fails with that reason, the manifest says so, and its target
is stopped.

The limit is RLIMIT_NPROC, which counts every task of a user and does not bind root, so benchctl
runs as a user id of its own (setpriv, util-linux) with prlimit's --nproc: that needs root."""

import os
import shutil
import stat
import subprocess
import unittest

from harness import Nginx, benchctl_path
from run_harness import RunTestCase, cell_entry, load_json

# A user id no process runs as, so that the count of its tasks starts at zero.
UNUSED_UID = 61234

RUN_MATRIX = """\
name: nproc
axes:
  round: [a]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", ok, "${port}", --tag, "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 10s}
load:
  threads: 64
  connections: 64
  duration: 2s
"""


def limited(nproc, argv):
    """argv run as UNUSED_UID with at most `nproc` tasks."""
    return ["setpriv", f"--reuid={UNUSED_UID}", f"--regid={UNUSED_UID}", "--clear-groups",
            "prlimit", f"--nproc={nproc}", *argv]


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv") and shutil.which("prlimit"),
                     "needs root, setpriv and prlimit to run benchctl under a process limit")
class LoadThreads(unittest.TestCase):

    def test_load_exits_2_naming_the_limit(self):
        with Nginx() as nginx:
            # benchctl's main thread, the load's driving thread, then 2 of the 8 load threads.
            proc = subprocess.run(limited(4, [benchctl_path(), "load", "-t", "8", "-c", "8",
                                              "-d", "1s", nginx.url()]),
                                  capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("benchctl: error: cannot create load thread 3 of 8: Resource temporarily "
                      "unavailable", proc.stderr)
        self.assertIn("ulimit -u", proc.stderr)
        self.assertNotIn("terminate called", proc.stderr)


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv") and shutil.which("prlimit"),
                     "needs root, setpriv and prlimit to run benchctl under a process limit")
class RunThreads(RunTestCase):

    def test_the_cell_fails_with_the_reason_and_its_target_is_stopped(self):
        # benchctl runs as another user: it must read the matrix and write the run.
        os.chmod(self.dir, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
        matrix = self.write_matrix(RUN_MATRIX)
        run_dir = os.path.join(self.dir, "run")
        # benchctl, the supervisor, the target and its threads fit; 64 load threads do not.
        proc = subprocess.run(limited(12, [benchctl_path(), "run", matrix, "--out", run_dir]),
                              capture_output=True, text=True, timeout=120, env=self.env(),
                              cwd=self.dir)
        output = proc.stdout + proc.stderr
        self.assertEqual(proc.returncode, 1, output)
        self.assertNotIn("terminate called", output)
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "complete")
        entry = cell_entry(manifest, "a")
        self.assertEqual(entry["status"], "failed", output)
        self.assertRegex(entry["reason"], r"cannot (create load thread \d+ of 64|start the "
                                          r"(load's|resource sampler's) thread): Resource "
                                          r"temporarily unavailable")
        cell = load_json(os.path.join(run_dir, entry["file"]))
        self.assertEqual(cell["failure"]["reason"], entry["reason"])


if __name__ == "__main__":
    unittest.main()
