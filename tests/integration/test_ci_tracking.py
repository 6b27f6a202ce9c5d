"""The CI recipe for real, on a tiny matrix: repeated cells compared (unchanged and slowed), a
nightly series in a history database with one injected slowdown, thresholds failing a run with
their own exit code, and examples/ci/nightly.sh end to end.

The target is delay_server.py: every response takes a set time (10 ms, 15 ms), so figures hardly
move with the machine's load, and --slow-cell multiplies one cell's delay by 1.2 (a known 20 %
slowdown) through ${env:SLOW_CELL}. Loads are short (0.3-0.5 s per cell run): the whole file
takes about a minute and a half on two cores.
"""

import json
import os
import re
import subprocess
import unittest

from harness import HERE, PYTHON
from run_harness import RunTestCase, load_json

DELAY_SERVER = os.path.join(HERE, "delay_server.py")
NIGHTLY = os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples", "ci", "nightly.sh")

# Two cells, so that a slowdown of one shows on that cell only.
MATRIX = """\
name: ci-tiny
axes:
  endpoint:
    - {{name: fast, delay_ms: "10"}}
    - {{name: slow, delay_ms: "15"}}
target:
  command: ["@PYTHON@", "{server}", "${{port}}", --delay-ms, "${{endpoint.delay_ms}}",
            --cell, "${{cell}}", --slow-cell, "${{env:SLOW_CELL}}", --slow-factor, "1.2",
            --tag, "${{env:FAKE_TAG}}"]
  ready: {{http: /, timeout: 10s}}
load: {{threads: 1, connections: 4, duration: {duration}, warmup: 0.1s}}
repeat: {repeat}
{extra}"""


class CiTracking(RunTestCase):

    def matrix(self, repeat=5, duration="0.8s", extra="", name="matrix.yaml"):
        return self.write_matrix(MATRIX.format(server=DELAY_SERVER, repeat=repeat,
                                               duration=duration, extra=extra), name)

    def run_matrix(self, matrix, out, slow_cell="none", *args):
        env = self.env()
        env["SLOW_CELL"] = slow_cell
        result = subprocess.run([os.environ["BENCHCTL"], "run", matrix, "--out", out, "-q", *args],
                                capture_output=True, text=True, timeout=120, env=env,
                                cwd=self.dir)
        return result

    def run_ok(self, matrix, out, slow_cell="none", *args):
        result = self.run_matrix(matrix, out, slow_cell, *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return os.path.join(self.dir, out)

    def compare(self, base, new, *args):
        return self.run_benchctl("compare", base, new, *args)

    def test_an_unchanged_pair_is_unchanged_and_a_slowed_cell_is_slower_in_every_format(self):
        # 7 repetitions: the U test then still finds p < 0.01 when other work on the machine
        # swaps a few repetitions of the two sides (up to 4 of 49 pairs), which at 5 (where only
        # complete separation gives p < 0.01) made this test fail on a loaded 2-core machine.
        matrix = self.matrix(repeat=7, duration="0.5s")
        base = self.run_ok(matrix, "base")
        same = self.run_ok(matrix, "same")
        slowed = self.run_ok(matrix, "slowed", "slow")
        self.assertNoProcessLeft()

        unchanged = self.compare(base, same, "--format", "json")
        self.assertEqual(unchanged.returncode, 0, unchanged.stdout + unchanged.stderr)
        doc = json.loads(unchanged.stdout)
        self.assertEqual(doc["schema"], "benchctl.compare/1")
        self.assertValidAgainstSchema(doc, "compare.schema.json")
        self.assertFalse(doc["regression"])
        for cell in doc["cells"]:
            for metric in cell["metrics"]:
                self.assertEqual(metric["base"]["count"], 7)
                self.assertIsNotNone(metric["u_test"])
                if metric["metric"] in ("requests_per_sec", "latency_p50_ms"):
                    self.assertEqual(metric["verdict"], "unchanged", (cell["cell"], metric))
                else:  # p99 of a few hundred requests is a tail: it may be noisy, never slower
                    self.assertIn(metric["verdict"], ("unchanged", "noisy"), metric)
        self.assertEqual(self.compare(base, same).returncode, 0)

        # Text: aligned rows, the slowed cell slower, the other not.
        text = self.compare(base, slowed)
        self.assertEqual(text.returncode, 1, text.stdout + text.stderr)
        self.assertRegex(text.stdout, r"\nslow\s+p50\s+15\.\d\d ms\s+18\.\d\d ms\s+\+\d+\.\d%"
                                      r"\s+0\.00\d+\s+slower\n")
        self.assertNotRegex(text.stdout, r"\nfast\s.*(slower|faster)")
        self.assertIn("1 slower (slow)", text.stdout)

        markdown = self.compare(base, slowed, "--format", "md")
        self.assertEqual(markdown.returncode, 1)
        self.assertRegex(markdown.stdout, r"\| slow \| p50 \| 15\.\d\d ms \| 18\.\d\d ms \| "
                                          r"\+\d+\.\d% \| 0\.00\d+ \| \*\*slower\*\* \|")
        self.assertNotRegex(markdown.stdout, r"\| fast \|[^\n]*\*\*slower")

        slower = json.loads(self.compare(base, slowed, "--format", "json").stdout)
        verdicts = {cell["cell"]: cell["verdict"] for cell in slower["cells"]}
        self.assertEqual(verdicts["slow"], "slower")
        self.assertNotIn(verdicts["fast"], ("slower", "failed"))
        self.assertTrue(slower["regression"])
        slow_p50 = next(m for m in slower["cells"][1]["metrics"] if m["metric"] == "latency_p50_ms")
        self.assertAlmostEqual(slow_p50["change_pct"], 20.0, delta=4.0)

        # The repeated run's report: one row per cell with its median and spread.
        report = self.run_benchctl("report", slowed)
        self.assertEqual(report.returncode, 0, report.stderr)
        self.assertRegex(report.stdout, r"\| slow \| 7/7 \| done \| [\d.,]+ \| \d+\.\d% \| "
                                        r"[\d.,]+ – [\d.,]+ \|")
        self.assertIn("## Repetitions", report.stdout)

    def test_bad_input_to_compare_and_history_exits_2_naming_what_is_wrong(self):
        not_a_run = os.path.join(self.dir, "not-a-run")
        os.mkdir(not_a_run)
        for args in (("compare", not_a_run, not_a_run), ("history", "add", not_a_run,
                                                         "--db", "h.db")):
            result = self.run_benchctl(*args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn(f"error: no run manifest (manifest.json) in this directory, "
                          f"{not_a_run}; give a run directory written by 'benchctl run'",
                          result.stderr)
        unknown = self.run_benchctl("compare", not_a_run, not_a_run, "--metric", "p98")
        self.assertEqual(unknown.returncode, 2, unknown.stderr)
        self.assertIn("unknown metric 'p98', --metric; did you mean 'p90'?", unknown.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "h.db")))

    def test_a_nightly_series_with_one_slowdown_is_found_at_the_right_run(self):
        matrix = self.matrix(repeat=1, duration="0.5s")
        db = os.path.join(self.dir, "history.db")
        # Twelve nights; from the seventh on, the slow cell takes 20 % longer.
        for night in range(12):
            out = f"night-{night:02}"
            self.run_ok(matrix, out, "slow" if night >= 6 else "none",
                        "--label", f"commit=c{night:02}")
            added = self.run_benchctl("history", "add", out, "--db", db)
            self.assertEqual(added.returncode, 0, added.stderr)
        self.assertNoProcessLeft()
        again = self.run_benchctl("history", "add", "night-03", "--db", db)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("already in", again.stderr)

        check = self.run_benchctl("history", "check", "--db", db)
        self.assertEqual(check.returncode, 1, check.stdout + check.stderr)
        self.assertRegex(check.stdout, r"regression: slow requests/sec -1\d\.\d%, p [\d.]+ from run "
                                       r"night-06, .*between c05 \(run night-05\) and c06 "
                                       r"\(run night-06\)")
        self.assertNotIn("regression: fast", check.stdout)

        show = self.run_benchctl("history", "show", "--db", db, "--cell", "slow",
                                 "--metric", "p50")
        self.assertEqual(show.returncode, 0, show.stderr)
        marked = [line for line in show.stdout.splitlines() if "<- change point" in line]
        self.assertEqual(len(marked), 1, show.stdout)
        self.assertTrue(marked[0].strip().startswith("night-06 "), marked[0])

        page = os.path.join(self.dir, "history.html")
        report = self.run_benchctl("history", "report", "--db", db, "--output", page)
        self.assertEqual(report.returncode, 0, report.stderr)
        with open(page) as f:
            html = f.read()
        self.assertIn("<svg", html)
        self.assertIn("between c05 (run night-05) and c06 (run night-06)", html)

        # The newest stable segment as the baseline: night 11 against nights 6-10, one value each
        # (one repetition a night: weak verdicts, by the threshold alone). p50 only: with one
        # 0.5 s repetition a side, requests/sec of the fast cell moves by 5 % when other builds
        # share the machine, and a weak verdict has no test to tell that from a change.
        baseline = self.run_benchctl("compare", "--baseline", f"history:{db}", "night-11",
                                     "--metric", "p50", "--format", "json")
        self.assertEqual(baseline.returncode, 0, baseline.stdout + baseline.stderr)
        doc = json.loads(baseline.stdout)
        self.assertEqual((doc["base"]["source"], doc["base"]["run_id"]), ("history", "night-10"))
        slow = next(cell for cell in doc["cells"] if cell["cell"] == "slow")
        self.assertEqual([m["base"]["count"] for m in slow["metrics"]], [5])
        self.assertTrue(slow["metrics"][0]["weak"])
        self.assertEqual(slow["verdict"], "unchanged")

    def test_a_failed_threshold_fails_the_run_with_exit_code_99_and_is_reported(self):
        matrix = self.matrix(repeat=1, duration="0.3s",
                             extra='thresholds:\n  p50: "< 12ms"\n  failures: "== 0"\n')
        result = self.run_matrix(matrix, "run")
        self.assertEqual(result.returncode, 99, result.stderr)
        self.assertIn("1 missed a threshold", result.stderr)
        run_dir = os.path.join(self.dir, "run")
        self.assertRunDirectoryValid(run_dir)
        slow = load_json(os.path.join(run_dir, "cells", "slow.json"))
        self.assertEqual([(t["metric"], t["passed"]) for t in slow["thresholds"]],
                         [("p50", False), ("failures", True)])
        self.assertGreater(slow["thresholds"][0]["value"], 12)
        fast = load_json(os.path.join(run_dir, "cells", "fast.json"))
        self.assertTrue(all(t["passed"] for t in fast["thresholds"]))
        report = self.run_benchctl("report", run_dir)
        self.assertIn("Thresholds: 3 of 4 threshold checks passed.", report.stdout)
        self.assertRegex(report.stdout, r"- slow: p50 &lt; 12ms failed: 15\.\d\d ms")

    def test_the_nightly_script_records_compares_and_gates_as_docs_ci_md_says(self):
        # REPEAT=7 for the reason given in the first test: a loaded machine swaps a few
        # repetitions of the two sides.
        matrix = self.matrix(repeat=7, duration="0.4s")
        env = self.env()
        env.update({"BENCHCTL": os.environ["BENCHCTL"], "RESULTS_DIR": "ci", "REPEAT": "7",
                    "BRANCH": "main", "SLOW_CELL": "none"})
        summary = os.path.join(self.dir, "step-summary.md")
        env["GITHUB_STEP_SUMMARY"] = summary

        def nightly(commit, **extra):
            run_env = dict(env, COMMIT=commit, **extra)
            return subprocess.run(["bash", NIGHTLY, matrix, "-q"], capture_output=True,
                                  text=True, timeout=120, env=run_env, cwd=self.dir)

        first = nightly("c1")
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        self.assertIn("no baseline yet", first.stdout)
        second = nightly("c2")
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        self.assertIn("history check: no regression", second.stdout)
        pull_request = nightly("c3", RECORD="no", BRANCH="feature", SLOW_CELL="slow")
        self.assertEqual(pull_request.returncode, 1, pull_request.stdout + pull_request.stderr)
        self.assertIn("1 slower (slow)", pull_request.stdout)
        self.assertNoProcessLeft()

        ci = os.path.join(self.dir, "ci")
        runs = sorted(os.listdir(os.path.join(ci, "runs")))
        self.assertEqual(len(runs), 3)
        for run in runs:
            for name in ("report.html", "report.md", "manifest.json"):
                self.assertTrue(os.path.isfile(os.path.join(ci, "runs", run, name)), (run, name))
        self.assertTrue(os.path.isfile(os.path.join(ci, "history.html")))
        latest = load_json(os.path.join(ci, "main-latest", "manifest.json"))
        self.assertEqual(latest["labels"], {"branch": "main", "commit": "c2"})
        shown = self.run_benchctl("history", "show", "--db", os.path.join(ci, "history.db"),
                                  "--cell", "fast", "--metric", "requests_per_sec")
        self.assertEqual(len(re.findall(r"^  \S+-c[12] ", shown.stdout, re.M)), 2, shown.stdout)
        with open(summary) as f:
            step_summary = f.read()
        self.assertEqual(step_summary.count("### benchctl compare"), 2)
        self.assertIn("**slower**", step_summary)


if __name__ == "__main__":
    unittest.main()
