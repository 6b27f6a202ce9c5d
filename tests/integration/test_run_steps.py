"""Setup steps around a run's cells, with real processes: a setup that creates a table in a
PostgreSQL service benchctl starts itself and captures a value with psql, an HTTP step that creates
a worker in an API service and captures its id from the JSON answer, both reaching the cell's
target as ${setup.<name>}; a step answered with the wrong status failing the run before any cell;
SIGINT during a setup step leaving no process (no postmaster). Skipped where the servers are not
installed (scripts/install-deps.sh installs them)."""

import os
import signal
import time
import unittest

from run_harness import RunTestCase, load_json
from harness import HERE
from test_service_kinds import processes_of, servers_missing, wait_for_text

APP = os.path.join(HERE, "steps_app.py")

MATRIX = """\
name: steps
services:
  db: {kind: postgres, databases: [app], settings: {fsync: "off"}}
  api:
    command: ["@PYTHON@", "@APP@", "${port}", "${db.url}"]
    ready: {http: /, timeout: 20s}
setup:
  - name: schema
    shell: >-
      psql "${db.url}" -tAq -c "CREATE TABLE items (id serial PRIMARY KEY, name text)"
      -c "INSERT INTO items (name) VALUES ('seed') RETURNING id"
    capture: {seed_id: {regex: "(\\\\d+)"}}
  - name: worker
    http: {method: POST, url: "http://127.0.0.1:${api.port}@WORKERS@", body: "{}", status: 201}
    capture: {worker_id: {json: "$.id"}}
@MORE_SETUP@
axes: {mode: [items]}
target:
  command: ["@PYTHON@", "@APP@", "${port}", "${db.url}", "worker=${setup.worker_id}",
            "seed=${setup.seed_id}"]
  ready: {http: /, timeout: 20s}
load: {path: /, requests: 20, threads: 1, connections: 2}
"""


CHECKED = """\
name: checked
services:
  db: {kind: postgres, databases: [app], settings: {fsync: "off"}}
setup:
  - {name: schema, shell: "psql '${db.url}' -q -c 'CREATE TABLE items (id serial, name text)'"}
@BEFORE@
after:
  - name: rows
    shell: "psql '${db.url}' -tA -c 'SELECT count(*) FROM items'"
    expect: {output: "${cell.status.201}"}
axes: {mode: [items]}
target:
  command: ["@PYTHON@", "@APP@", "${port}", "${db.url}"]
  ready: {http: /, timeout: 20s}
load: {path: /items, method: POST, requests: 20, threads: 1, connections: 2}
repeat: 2
"""

TRUNCATE = """\
before:
  - {name: truncate, shell: "psql '${db.url}' -q -c 'TRUNCATE items'"}"""


VERIFIED = """\
name: verified
axes:
  endpoint:
    - {name: right, load: {path: /}}
    - {name: wrong, load: {path: /wrong}}
target:
  command: ["@PYTHON@", "@APP@", "${port}", "unused"]
  ready: {http: /, timeout: 20s}
load: {requests: 20, threads: 1, connections: 2}
verify: {count: 2, body_regex: "^ok$"}
"""


SHARED = """\
name: shared
axes: {scenario: [one, two, three]}
target:
  command: ["@PYTHON@", "@APP@", "${port}", "unused"]
  ready: {http: /, timeout: 20s}
  scope: run
load: {path: /, @STOP@, threads: 1, connections: 2}
"""


class SharedTarget(RunTestCase):
    """One server for every cell (target.scope: run), sampled per cell."""

    def write(self, stop="requests: 200"):
        return self.write_matrix(SHARED.replace("@APP@", APP).replace("@STOP@", stop))

    def test_one_target_serves_every_cell_and_each_cell_has_its_own_figures(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", self.write(), "--out", run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(processes_of(self.tag, self.dir), {})
        manifest = self.assertRunDirectoryValid(run_dir)
        with open(os.path.join(run_dir, "logs", "shared-target.log")) as f:
            self.assertEqual(f.read().count("listening"), 1)  # started once
        cells = [load_json(os.path.join(run_dir, c["file"])) for c in manifest["cells"]]
        self.assertEqual({c["target"]["port"] for c in cells}, {cells[0]["target"]["port"]})
        for cell in cells:
            self.assertEqual(cell["status"], "done", cell["failure"])
            self.assertTrue(cell["target"]["shared"])
            self.assertEqual(cell["load"]["requests"]["completed"], 200)
            resources = cell["target"]["resources"]
            self.assertGreater(resources["cpu_seconds"], 0)
            self.assertGreater(resources["peak_rss_bytes"], 0)

    def test_sigint_during_a_cell_of_a_shared_target_leaves_no_process(self):
        run_dir = os.path.join(self.dir, "run")
        proc = self.start_benchctl("run", self.write(stop="duration: 30s"), "--out", run_dir)
        started = wait_for_text(os.path.join(run_dir, "logs", "shared-target.log"),
                                r"^listening", proc, 30)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        self.assertTrue(started, err)
        self.assertEqual(proc.returncode, 130, err)
        self.assertEqual(processes_of(self.tag, self.dir), {})
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "interrupted")


class Verify(RunTestCase):
    """No database: the server answers GET / with 200 "ok" and GET /wrong with 405."""

    def test_verify_catches_a_wrong_status_before_the_cell_is_measured(self):
        run_dir = os.path.join(self.dir, "run")
        matrix = self.write_matrix(VERIFIED.replace("@APP@", APP))
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(processes_of(self.tag, self.dir), {})
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual([c["status"] for c in manifest["cells"]], ["done", "failed"])
        right = load_json(os.path.join(run_dir, manifest["cells"][0]["file"]))
        self.assertEqual(right["load"]["status_codes"], {"200": 20})  # verify was not measured
        wrong = load_json(os.path.join(run_dir, manifest["cells"][1]["file"]))
        self.assertRegex(wrong["failure"]["reason"],
                         r'^verify: GET http://127\.0\.0\.1:\d+/wrong \(request 1 of 2\) '
                         r'answered 405, expected 2xx; the response began: "method not allowed"$')
        self.assertIsNone(wrong["load"])


@unittest.skipIf(servers_missing(), f"not installed: {', '.join(servers_missing())}")
class CellChecks(RunTestCase):

    def write(self, before):
        return self.write_matrix(CHECKED.replace("@APP@", APP).replace("@BEFORE@", before))

    def test_a_before_step_truncates_and_the_check_counts_rows_against_the_201s(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", self.write(TRUNCATE), "--out", run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(processes_of(self.tag, self.dir), {})
        manifest = self.assertRunDirectoryValid(run_dir)
        for entry in manifest["cells"]:
            cell = load_json(os.path.join(run_dir, entry["file"]))
            self.assertEqual(cell["status"], "done", cell["failure"])
            self.assertEqual(cell["load"]["status_codes"], {"201": 20})
            self.assertEqual(cell["checks"], [{"name": "rows", "passed": True, "expected": "20",
                                               "actual": "20", "failure": None}])

    def test_rows_piling_up_fail_the_check_and_keep_the_measurements(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", self.write(""), "--out", run_dir)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(processes_of(self.tag, self.dir), {})
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual([c["status"] for c in manifest["cells"]], ["done", "failed"])
        cell = load_json(os.path.join(run_dir, manifest["cells"][1]["file"]))
        self.assertEqual(cell["failure"]["reason"],
                         "check 'rows' failed: expected \"20\", got \"40\"")
        self.assertEqual(cell["checks"][0]["actual"], "40")
        self.assertEqual(cell["load"]["requests"]["completed"], 20)  # measurements kept
        self.assertIn("failed_check", [w["code"] for w in cell["warnings"]])
        for fmt in ("md", "csv", "json", "html"):
            report = self.run_benchctl("report", run_dir, "--format", fmt, "--per-repetition")
            self.assertEqual(report.returncode, 0, report.stderr)
            self.assertIn("check 'rows' failed", report.stdout.replace("&#39;", "'"), fmt)


@unittest.skipIf(servers_missing(), f"not installed: {', '.join(servers_missing())}")
class SetupSteps(RunTestCase):

    def write(self, workers="/workers", more_setup=""):
        text = (MATRIX.replace("@APP@", APP).replace("@WORKERS@", workers)
                .replace("@MORE_SETUP@", more_setup))
        return self.write_matrix(text)

    def assertNoServerLeft(self):
        self.assertEqual(processes_of(self.tag, self.dir), {}, "processes of the run are left")

    def test_a_setup_creates_a_table_and_captures_values_every_cell_uses(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", self.write(), "--out", run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNoServerLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        steps = manifest["setup"]
        self.assertEqual([s["name"] for s in steps], ["schema", "worker"])
        self.assertEqual([s["status"] for s in steps], ["ok", "ok"])
        self.assertEqual(steps[0]["exit_code"], 0)
        self.assertEqual(steps[0]["captures"], {"seed_id": "1"})
        self.assertEqual(steps[1]["http_status"], 201)
        self.assertEqual(steps[1]["captures"], {"worker_id": "65542"})
        cell = load_json(os.path.join(run_dir, manifest["cells"][0]["file"]))
        self.assertEqual(cell["status"], "done", cell["failure"])
        self.assertIn("worker=65542", cell["target"]["command"])
        self.assertIn("seed=1", cell["target"]["command"])

    def test_a_step_answered_with_another_status_fails_the_run_before_any_cell(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", self.write(workers="/nope"), "--out", run_dir)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("setup step 'worker' failed: POST http://127.0.0.1:", result.stderr)
        self.assertIn("/nope answered 405, expected 201", result.stderr)
        self.assertIn("method not allowed", result.stderr)  # the response's first bytes
        self.assertNoServerLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "failed")
        self.assertIn("setup step 'worker' failed", manifest["failure"])
        self.assertEqual([s["status"] for s in manifest["setup"]], ["ok", "failed"])
        self.assertEqual([c["status"] for c in manifest["cells"]], ["pending"])

    def test_sigint_during_a_setup_step_leaves_no_process(self):
        run_dir = os.path.join(self.dir, "run")
        waiting = "  - {name: wait, shell: \"echo started; sleep 30\"}"
        proc = self.start_benchctl("run", self.write(more_setup=waiting), "--out", run_dir)
        started = wait_for_text(os.path.join(run_dir, "logs", "setup-wait.log"), r"^started",
                                proc, 60)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        self.assertTrue(started, err)
        self.assertEqual(proc.returncode, 130, err)
        self.assertNoServerLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "interrupted")
        self.assertEqual([s["status"] for s in manifest["setup"]], ["ok", "ok", "interrupted"])
        self.assertEqual([c["status"] for c in manifest["cells"]], ["pending"])


if __name__ == "__main__":
    unittest.main()
