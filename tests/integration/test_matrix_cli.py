"""The matrix commands as a newcomer meets them: --only runs a subset, ${run_dir} works from the
target's own cwd, progress says which cell and repetition, list writes counts in good English,
and a mistyped subcommand or flag gets the nearest one."""

import os
import re
import unittest

from run_harness import RunTestCase, load_json

MATRIX = """\
name: newcomer
axes:
  server: [alpha, beta, gamma]
  workers: [1, 2]
target:
  shell: >-
    echo "${cell}" > "${run_dir}/marker-${cell}.txt" &&
    exec "@PYTHON@" "@FAKE_TARGET@" ok "${port}" --tag "${env:FAKE_TAG}"
  cwd: sub
  ready: {http: /, timeout: 5s}
load:
  threads: 1
  connections: 1
  duration: 0.3s
"""


class MatrixCli(RunTestCase):

    def setUp(self):
        super().setUp()
        os.mkdir(os.path.join(self.dir, "sub"))
        self.matrix = self.write_matrix(MATRIX)

    def test_only_runs_the_selected_cells_with_run_dir_absolute_and_progress_per_repetition(self):
        # --out is relative to where benchctl starts; the target runs in sub/.
        result = self.run_benchctl("run", self.matrix, "--out", "run", "--set", "repeat=2",
                                   "--only", "server=beta", "--only", "gamma.1")
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertNoProcessLeft()
        run_dir = os.path.join(self.dir, "run")
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual([(e["cell"], e["repetition"]) for e in manifest["cells"]],
                         [("beta.1", 1), ("beta.2", 1), ("gamma.1", 1),
                          ("beta.1", 2), ("beta.2", 2), ("gamma.1", 2)])
        for cell in ("beta.1", "beta.2", "gamma.1"):
            with open(os.path.join(run_dir, f"marker-{cell}.txt")) as f:
                self.assertEqual(f.read().strip(), cell)
        self.assertIn(f"benchctl: 3 cells x 2 repetitions = 6 runs into {run_dir}\n",
                      result.stderr)
        self.assertIn("[cell 3/3, repetition 1/2] gamma.1 starting", result.stderr)
        self.assertIn("[cell 1/3, repetition 2/2] beta.1 starting", result.stderr)
        self.assertIn(f"results in {run_dir}\n", result.stderr)
        cell = load_json(os.path.join(run_dir, "cells", "beta.1.rep1.json"))
        labels = [p["label"] for p in cell["parameters"]]
        self.assertEqual(labels, ["beta", "workers=1"])

    def test_one_repetition_needs_no_repetition_numbers(self):
        result = self.run_benchctl("run", self.matrix, "--out", "run", "--only", "alpha.2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("benchctl: 1 cell into ", result.stderr)
        self.assertIn("[cell 1/1] alpha.2 starting", result.stderr)

    def test_only_on_list_and_validate_and_an_only_that_selects_nothing(self):
        listed = self.run_benchctl("list", self.matrix, "--only", "*.2")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual(re.findall(r"^(\w+\.\d)$", listed.stdout, re.M),
                         ["alpha.2", "beta.2", "gamma.2"])
        self.assertIn("1 thread, 1 connection, for 0.3s", listed.stdout)
        self.assertNotIn("1 threads", listed.stdout)
        valid = self.run_benchctl("validate", self.matrix, "--only", "server=alpha")
        self.assertEqual(valid.returncode, 0, valid.stderr)
        self.assertIn("ok, 2 cells", valid.stdout)
        wrong = self.run_benchctl("validate", self.matrix, "--only", "server=alpah")
        self.assertEqual(wrong.returncode, 2)
        self.assertEqual(wrong.stderr, "--only server=alpah: error: axis 'server' has no value "
                                       "'alpah'; did you mean 'alpha'?\n")
        refused = self.run_benchctl("run", self.matrix, "--only", "delta.*", "--out", "run")
        self.assertEqual(refused.returncode, 2)
        self.assertIn("benchctl: error: no cell matches it, --only delta.*; cell ids look like "
                      "'alpha.1'", refused.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "run")))

    def test_unknown_subcommands_and_flags_name_the_nearest(self):
        cases = {
            ("reprot", "run"): "unknown subcommand 'reprot'; did you mean 'report'?",
            ("comapre", "a", "b"): "unknown subcommand 'comapre'; did you mean 'compare'? (the "
                                   "commands are load, run, validate, list, report, compare, "
                                   "history, import, agent)",
            ("bogus",): "unknown subcommand 'bogus'; the commands are",
            ("validate", self.matrix, "--sett", "a=b"): "(did you mean '--set'?)",
            ("report", "run", "--format", "htm"): "unknown report format 'htm', --format; did "
                                                 "you mean 'html'?",
        }
        for args, message in cases.items():
            result = self.run_benchctl(*args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertTrue(result.stderr.startswith("benchctl: error: "), result.stderr)
            self.assertIn(message, result.stderr, args)
            self.assertNotIn("A subcommand is required", result.stderr, args)


if __name__ == "__main__":
    unittest.main()
