"""`benchctl run` with targets that misbehave: each failure fails its own cell with a reason and
the log's tail, the run goes on, the other cells' results are intact, and no process of any cell
is left afterwards, a daemonised grandchild included."""

import os
import unittest

from run_harness import RunTestCase, cell_entry, load_json

MATRIX = """\
name: failures
axes:
  behaviour: [ok, exit, never_ready, die, ignore_term, daemonize]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", "${behaviour}", "${port}",
            --tag, "${env:FAKE_TAG}", --after, "1.0"]
  ready: {http: /, timeout: 2s}
  stop: {signal: TERM, grace: 1s}
load:
  threads: 1
  connections: 4
  duration: 2s
"""


class RunFailures(RunTestCase):

    def test_each_failure_fails_its_cell_and_leaves_no_process(self):
        matrix = self.write_matrix(MATRIX)
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 1, output)
        self.assertIn("3 failed", result.stderr)
        self.assertNoProcessLeft()

        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "complete", output)
        statuses = {e["cell"]: e["status"] for e in manifest["cells"]}
        self.assertEqual(statuses, {"ok": "done", "exit": "failed", "never_ready": "failed",
                                    "die": "failed", "ignore_term": "done", "daemonize": "done"},
                         output)

        def cell(cell_id):
            return load_json(os.path.join(run_dir, cell_entry(manifest, cell_id)["file"]))

        exited = cell("exit")
        self.assertIn("exited with code 3", exited["failure"]["reason"])
        self.assertIn("fatal: cannot start", exited["failure"]["log_tail"])
        self.assertIsNone(exited["load"])

        never = cell("never_ready")
        self.assertIn("not ready after 2s", never["failure"]["reason"])
        self.assertIn("starting, slowly", never["failure"]["log_tail"])

        died = cell("die")
        self.assertIn("exited with code 1", died["failure"]["reason"])
        self.assertIn("dying after", died["failure"]["log_tail"])

        stubborn = cell("ignore_term")
        self.assertFalse(stubborn["target"]["stopped_gracefully"])
        self.assertGreaterEqual(stubborn["target"]["killed_processes"], 1)

        # The cells that worked carry a whole load document and the target's resource use.
        for cell_id in ("ok", "ignore_term", "daemonize"):
            doc = cell(cell_id)
            load = doc["load"]
            r = load["requests"]
            self.assertGreater(r["completed"], 0, cell_id)
            self.assertEqual(r["started"], r["completed"] + r["failed"] + r["in_flight_at_stop"])
            self.assertEqual(load["status_codes"], {"200": r["completed"]}, cell_id)
            self.assertGreater(doc["target"]["resources"]["samples"], 5, cell_id)
            self.assertGreater(doc["target"]["resources"]["peak_rss_bytes"], 1_000_000, cell_id)
            self.assertGreater(doc["target"]["ready_seconds"], 0, cell_id)
            with open(os.path.join(run_dir, doc["target"]["log_file"])) as f:
                self.assertIn("listening on 127.0.0.1", f.read())

    def test_a_program_that_cannot_be_started_fails_its_cell_only(self):
        # validate (and run, before it starts) refuse a program that does not exist; one that
        # exists but cannot be executed (its interpreter is missing) is found only at the start.
        program = os.path.join(self.dir, "ok-no-such-interpreter")
        with open(program, "w") as f:
            f.write("#!/no/such/interpreter\n")
        os.chmod(program, 0o755)
        matrix = self.write_matrix(MATRIX.replace('"@PYTHON@", "@FAKE_TARGET@", "${behaviour}"',
                                                  '"./${behaviour}-no-such-interpreter"')
                                   .replace("[ok, exit, never_ready, die, ignore_term, daemonize]",
                                            "[ok]"))
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(result.returncode, 1, result.stderr)
        manifest = self.assertRunDirectoryValid(run_dir)
        entry = cell_entry(manifest, "ok")
        self.assertEqual(entry["status"], "failed")
        self.assertIn("ok-no-such-interpreter", entry["reason"])

    def test_a_program_that_does_not_exist_is_refused_before_the_run(self):
        matrix = self.write_matrix(MATRIX.replace('"@PYTHON@"', '"${behaviour}-no-such-program"')
                                   .replace("[ok, exit, never_ready, die, ignore_term, daemonize]",
                                            "[ok]"))
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr,
                         r"program 'ok-no-such-program' is not on the PATH, \S*matrix.yaml:5:13;")
        self.assertFalse(os.path.exists(run_dir))
        validated = self.run_benchctl("validate", matrix)
        self.assertEqual(validated.returncode, 2, validated.stderr)
        self.assertRegex(validated.stderr,
                         r"matrix.yaml:5:13: error: program 'ok-no-such-program' is not on the PATH")

    def test_an_existing_run_directory_is_never_overwritten(self):
        matrix = self.write_matrix(MATRIX.replace(
            "[ok, exit, never_ready, die, ignore_term, daemonize]", "[ok]")
            .replace("duration: 2s", "duration: 1s"))
        run_dir = os.path.join(self.dir, "run")
        first = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(first.returncode, 0, first.stderr)
        with open(os.path.join(run_dir, "manifest.json")) as f:
            before = f.read()
        second = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(second.returncode, 2, second.stderr)
        self.assertIn("--resume", second.stderr)
        with open(os.path.join(run_dir, "manifest.json")) as f:
            self.assertEqual(f.read(), before)
        self.assertNoProcessLeft()


if __name__ == "__main__":
    unittest.main()
