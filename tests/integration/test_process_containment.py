"""No process of a cell or a service outlives it, not even one that hides: a grandchild that calls
setsid(), forks twice and execs with an EMPTY environment (no tag of benchctl's) is killed with
its cell, at start, during the load, and as a service, and counted in killed_processes. Nor does
one outlive a `kill -9` of benchctl itself: each tree's supervisor tears it down. Every test runs
twice: with the cgroup v2 group benchctl uses where the machine allows it, and with the /proc
scan it falls back to elsewhere (BENCHCTL_NO_CGROUP=1)."""

import os
import signal
import subprocess
import time
import unittest

from run_harness import RunTestCase, load_json, processes_with_tag

CELL_MATRIX = """\
name: hidden
axes:
  moment:
    - {name: start, target: {command: ["@PYTHON@", "@FAKE_TARGET@", hidden_daemon, "${port}",
                                       --tag, "${env:FAKE_TAG}", --after, "0"]}}
    - {name: load, target: {command: ["@PYTHON@", "@FAKE_TARGET@", hidden_daemon, "${port}",
                                      --tag, "${env:FAKE_TAG}", --after, "0.5"]}}
target:
  ready: {http: /, timeout: 10s}
  stop: {signal: TERM, grace: 1s}
load:
  threads: 1
  connections: 2
  duration: @DURATION@
"""

SERVICE_MATRIX = """\
name: hidden_service
services:
  backend:
    command: ["@PYTHON@", "@FAKE_TARGET@", hidden_daemon, "${port}", --tag, "${env:FAKE_TAG}",
              --after, "0"]
    ready: {tcp: true, timeout: 10s}
    stop: {signal: TERM, grace: 1s}
axes:
  round: [a]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", ok, "${port}", --tag, "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 10s}
load:
  threads: 1
  connections: 2
  duration: @DURATION@
"""

NEVER_READY_MATRIX = """\
name: hidden_at_start
axes:
  round: [a]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", hidden_daemon, "${port}", --tag, "${env:FAKE_TAG}",
            --after, "0", --no-listen]
  ready: {http: /, timeout: 60s}
load:
  duration: 1s
"""

MODES = {"default": {}, "scan": {"BENCHCTL_NO_CGROUP": "1"}}


def cgroup_groups_of(pid):
    """Names of the cgroup v2 groups benchctl `pid` made beside its own group (none without
    cgroup v2)."""
    mount = None
    with open("/proc/self/mountinfo") as f:
        for line in f:
            before, _, after = line.partition(" - ")
            if after.split()[:1] == ["cgroup2"] and before.split()[3] == "/":
                mount = before.split()[4]
                break
    if mount is None:
        return []
    with open("/proc/self/cgroup") as f:
        own = next((line[3:].strip() for line in f if line.startswith("0::")), None)
    directory = os.path.join(mount, own.lstrip("/")) if own else mount
    try:
        return [n for n in os.listdir(directory) if n.startswith(f"benchctl-{pid}-")]
    except OSError:
        return []


class ContainmentTestCase(RunTestCase):

    def run_in_mode(self, mode, *args):
        env = self.env()
        env.update(MODES[mode])
        return subprocess.run([self.benchctl(), *args], capture_output=True, text=True,
                              timeout=120, env=env, cwd=self.dir)

    def start_in_mode(self, mode, *args):
        env = self.env()
        env.update(MODES[mode])
        proc = subprocess.Popen([self.benchctl(), *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, cwd=self.dir)
        self.addCleanup(self.reap, proc)
        return proc

    @staticmethod
    def benchctl():
        from harness import benchctl_path
        return benchctl_path()

    @staticmethod
    def reap(proc):
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)

    def hidden_daemons(self):
        """The live grandchildren made by hidden_daemon (their command line names them)."""
        found = []
        for pid in processes_with_tag(self.tag):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"grandchild" in f.read():
                        found.append(pid)
            except OSError:
                pass
        return found

    def wait_for(self, condition, what, deadline_sec=20):
        deadline = time.monotonic() + deadline_sec
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        self.fail(f"{what} within {deadline_sec}s")

    def assertNothingLeftAfterKill(self, proc):
        """After a kill -9 of benchctl: no process of the tag, no supervisor, no cgroup."""
        proc.kill()
        proc.communicate(timeout=30)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (processes_with_tag(self.tag) or
                                               processes_with_tag(self.dir)):
            time.sleep(0.05)
        self.assertNoProcessLeft()
        # A supervisor is a fork of benchctl: its command line names the matrix in self.dir.
        self.assertEqual(processes_with_tag(self.dir), [], "a supervisor is left")
        while time.monotonic() < deadline and cgroup_groups_of(proc.pid):
            time.sleep(0.05)
        self.assertEqual(cgroup_groups_of(proc.pid), [], "cgroups of the run are left")


class HiddenDaemonsDieWithTheirCell(ContainmentTestCase):

    def check_cells(self, mode):
        matrix = self.write_matrix(CELL_MATRIX.replace("@DURATION@", "3s"))
        run_dir = os.path.join(self.dir, f"run-{mode}")
        result = self.run_in_mode(mode, "run", matrix, "--out", run_dir)
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        for entry in manifest["cells"]:
            cell = load_json(os.path.join(run_dir, entry["file"]))
            self.assertEqual(cell["status"], "done", output)
            with open(os.path.join(run_dir, cell["target"]["log_file"])) as f:
                self.assertIn("hidden daemon started", f.read(), entry["cell"])
            # The daemon ignores SIGTERM: it was found, and needed SIGKILL.
            self.assertGreaterEqual(cell["target"]["killed_processes"], 1, entry["cell"])
            self.assertFalse(cell["target"]["stopped_gracefully"], entry["cell"])
            tracking = cell["target"]["process_tracking"]
            self.assertIn(tracking, ("cgroup", "scan"))
            if mode == "scan":
                self.assertEqual(tracking, "scan")

    def test_at_start_and_during_the_load_with_the_default_tracking(self):
        self.check_cells("default")

    def test_at_start_and_during_the_load_without_a_cgroup(self):
        self.check_cells("scan")

    def check_service(self, mode):
        matrix = self.write_matrix(SERVICE_MATRIX.replace("@DURATION@", "1s"))
        run_dir = os.path.join(self.dir, f"run-{mode}")
        result = self.run_in_mode(mode, "run", matrix, "--out", run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNoProcessLeft()
        with open(os.path.join(run_dir, "logs", "service-backend.log")) as f:
            self.assertIn("hidden daemon started", f.read())

    def test_as_a_service_with_the_default_tracking(self):
        self.check_service("default")

    def test_as_a_service_without_a_cgroup(self):
        self.check_service("scan")


class KillNineOfBenchctl(ContainmentTestCase):
    """`kill -9` of benchctl leaves no process of the target tree, grandchildren included."""

    def kill_while_starting(self, mode):
        matrix = self.write_matrix(NEVER_READY_MATRIX)
        proc = self.start_in_mode(mode, "run", matrix, "--out", os.path.join(self.dir, "run"))
        self.wait_for(lambda: self.hidden_daemons(), "no hidden daemon started")
        self.assertNothingLeftAfterKill(proc)

    def test_while_the_target_starts(self):
        self.kill_while_starting("default")

    def test_while_the_target_starts_without_a_cgroup(self):
        self.kill_while_starting("scan")

    def kill_during_load(self, mode):
        matrix = self.write_matrix(CELL_MATRIX.replace("@DURATION@", "30s"))
        proc = self.start_in_mode(mode, "run", matrix, "--out", os.path.join(self.dir, "run"))
        # The first cell's daemon is made before it listens; wait for the load to run.
        self.wait_for(lambda: self.hidden_daemons(), "no hidden daemon started")
        time.sleep(1.0)
        self.assertNothingLeftAfterKill(proc)

    def test_during_the_load(self):
        self.kill_during_load("default")

    def test_during_the_load_without_a_cgroup(self):
        self.kill_during_load("scan")

    def kill_with_a_service(self, mode):
        matrix = self.write_matrix(SERVICE_MATRIX.replace("@DURATION@", "30s"))
        proc = self.start_in_mode(mode, "run", matrix, "--out", os.path.join(self.dir, "run"))

        def cell_target_runs():
            for pid in processes_with_tag(self.tag):
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"\0ok\0" in f.read():
                        return True
            return False

        self.wait_for(lambda: self.hidden_daemons() and cell_target_runs(),
                      "the service's daemon and the cell's target did not both start")
        self.assertNothingLeftAfterKill(proc)

    def test_with_a_service_running(self):
        self.kill_with_a_service("default")

    def test_with_a_service_running_without_a_cgroup(self):
        self.kill_with_a_service("scan")


if __name__ == "__main__":
    unittest.main()
