"""Shared helpers for the integration tests of `benchctl run`.

A test writes a matrix file into a temporary directory, runs the real binary on it, and then
inspects the run directory and /proc. Every target the matrices start is fake_target.py with a
unique tag on its command line, so leftovers are found (and, after the assertions, killed) by tag.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import uuid

from harness import HERE, PYTHON, SUITE_MARK, benchctl_path

FAKE_TARGET = os.path.join(HERE, "fake_target.py")
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(HERE)), "docs")


def processes_with_tag(tag):
    """PIDs of live (non-zombie) processes whose command line contains tag."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{name}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if tag.encode() in cmdline and state not in ("Z", "X"):
            found.append(int(name))
    return found


def kill_tagged(tag):
    for pid in processes_with_tag(tag):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def load_json(path):
    with open(path) as f:
        return json.load(f)


class RunTestCase(unittest.TestCase):
    """A temporary directory, a unique tag, and a final sweep for processes carrying the tag."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix=f"benchctl-run-test-{SUITE_MARK}-")
        self.dir = self.tmp.name
        self.tag = f"benchctl-test-{SUITE_MARK}-{uuid.uuid4().hex[:12]}"
        self.addCleanup(self.tmp.cleanup)
        self.addCleanup(kill_tagged, self.tag)

    def write_matrix(self, text, name="matrix.yaml"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text.replace("@FAKE_TARGET@", FAKE_TARGET).replace("@PYTHON@", PYTHON))
        return path

    def env(self):
        env = dict(os.environ)
        env["FAKE_TAG"] = self.tag
        env.pop("CI", None)
        return env

    def run_benchctl(self, *args, timeout=120):
        return subprocess.run([benchctl_path(), *args], capture_output=True, text=True,
                              timeout=timeout, env=self.env(), cwd=self.dir)

    def run_as_nobody(self, matrix):
        """`benchctl run` of a copy of `matrix` as user nobody (setpriv), in a directory of its
        own; returns (the run directory, the finished process). Skips where this test is not
        root (the run is unprivileged already) or nobody cannot execute the binary."""
        nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        if os.getuid() != 0:
            self.skipTest("runs as root only: it switches to nobody (setpriv); this run is "
                          "unprivileged already, which the other tests cover")
        probe = subprocess.run([*nobody, "test", "-x", benchctl_path()], capture_output=True)
        if probe.returncode != 0:
            self.skipTest(f"user nobody cannot run {benchctl_path()}")
        os.chmod(self.dir, 0o755)
        work = os.path.join(self.dir, "nobody")
        os.mkdir(work)
        shutil.chown(work, "nobody", "nogroup")
        shutil.copy(matrix, os.path.join(work, "matrix.yaml"))
        run_dir = os.path.join(work, "run")
        result = subprocess.run(
            [*nobody, benchctl_path(), "run", "matrix.yaml", "--out", run_dir],
            capture_output=True, text=True, timeout=120, env=dict(self.env(), HOME=work),
            cwd=work)
        return run_dir, result

    def start_benchctl(self, *args):
        return subprocess.Popen([benchctl_path(), *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.env(), cwd=self.dir)

    def assertNoProcessLeft(self):
        # Stop is synchronous in benchctl; allow the kernel a moment to finish reaping.
        deadline = time.monotonic() + 1.0
        while processes_with_tag(self.tag) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = processes_with_tag(self.tag)
        details = []
        for pid in left:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmdline = f.read().replace(b"\0", b" ").decode()
                details.append(f"{pid}: {cmdline}")
            except OSError:
                pass
        self.assertEqual(left, [], f"processes of the run are left: {details}")

    def assertValidAgainstSchema(self, doc, schema_file):
        """Validates against docs/<schema_file>, resolving references among docs/*.schema.json
        locally (python3-jsonschema, from scripts/install-deps.sh)."""
        import jsonschema
        store = {}
        for name in os.listdir(SCHEMA_DIR):
            if name.endswith(".schema.json"):
                schema = load_json(os.path.join(SCHEMA_DIR, name))
                store[schema["$id"]] = schema
        schema = load_json(os.path.join(SCHEMA_DIR, schema_file))
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        self.assertEqual([f"{list(e.path)}: {e.message}" for e in errors], [],
                         f"document does not match docs/{schema_file}")

    def assertRunDirectoryValid(self, run_dir):
        """The manifest and every cell file it names parse and match the documented schemas."""
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        self.assertEqual(manifest["schema"], "benchctl.run/1")
        self.assertValidAgainstSchema(manifest, "run.schema.json")
        for entry in manifest["cells"]:
            if entry.get("file"):
                cell = load_json(os.path.join(run_dir, entry["file"]))
                self.assertEqual(cell["schema"], "benchctl.cell/1")
                self.assertEqual(cell["cell"], entry["cell"])
                self.assertEqual(cell["status"], entry["status"])
                self.assertValidAgainstSchema(cell, "cell.schema.json")
        leftovers = [n for n in os.listdir(run_dir) + os.listdir(os.path.join(run_dir, "cells"))
                     if n.endswith(".tmp") or ".tmp." in n]
        self.assertEqual(leftovers, [], "temporary files left in the run directory")
        return manifest


def cell_entry(manifest, cell_id, repetition=1):
    for entry in manifest["cells"]:
        if entry["cell"] == cell_id and entry.get("repetition", 1) == repetition:
            return entry
    raise KeyError(cell_id)
