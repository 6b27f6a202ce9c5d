"""Source 004 end to end, shortened: scenarios/job-api.yaml (targets/job-api over a PostgreSQL
service) creates its worker and job through the API in setup, runs the five cells on the
captured ids with the README's short --set, leaves no process, and its `report --style
wrk-commands` has source 004's sections: the same headings in the same order (a wrk command line;
`benchctl load ... -m POST` where the source's wrk needed a Lua script to send a body), and each
block, numbers masked, line for line as the source's. Skipped where PostgreSQL, aiohttp or
asyncpg is not installed (scripts/install-deps.sh installs them)."""

import importlib.util
import os
import re
import shutil
import subprocess
import unittest

from harness import benchctl_path
from run_harness import RunTestCase, load_json, processes_with_tag

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(REPO, "scenarios", "job-api.yaml")
SOURCE_004 = os.path.join(REPO, "tests", "fixtures", "reference", "004_ab4033540cefe33c.txt")

# The README's short --set.
SHORT = ["--set", "load.duration=2s", "--set", "cooldown=0s"]

# wrk prints these only when they are not zero; whether they are is the app's behaviour.
ERROR_LINES = ("Socket errors:", "Non-2xx or 3xx responses:")


def masked(line):
    """As tests/unit/report/wrk_commands_report_test.cpp masks: a number with its unit is N."""
    line = re.sub(r"\d+(\.\d+)?[A-Za-z%]*", "N", line)
    return re.sub(r"\s+", " ", line.replace("'", "").replace('"', "")).strip()


def sections(text):
    """[(masked heading, [masked lines of the first fenced block, error lines left out])]."""
    found = []
    fence = None
    for line in text.splitlines():
        if line.startswith("## "):
            found.append([masked(line), [], False])
        elif found and line.startswith("```") and not found[-1][2]:
            if fence is None:
                fence = line
            else:
                fence = None
                found[-1][2] = True
        elif fence is not None and not line.strip().startswith(ERROR_LINES):
            found[-1][1].append(masked(line))
    return [(heading, block) for heading, block, _ in found]


class Source004WrkCommands(RunTestCase):

    def setUp(self):
        super().setUp()
        if not (os.path.isdir("/usr/lib/postgresql") or shutil.which("initdb")):
            raise unittest.SkipTest("postgres (postgresql) is not installed")
        for module in ("aiohttp", "asyncpg"):
            if importlib.util.find_spec(module) is None:
                raise unittest.SkipTest(f"{module} (python3-{module}) is not installed")

    def test_source_004_matrix_runs_and_reports_as_wrk_commands(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", SCENARIO, "--out", run_dir, *SHORT, timeout=240)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("5 done, 0 failed", result.stderr)
        manifest = self.assertRunDirectoryValid(run_dir)

        # Setup made the worker and the job through the API; every URL names them.
        captures = {}
        for step in manifest["setup"]:
            self.assertEqual(step["status"], "ok", step)
            captures.update(step["captures"])
        self.assertRegex(captures["worker_id"], r"^\d+$")
        self.assertRegex(captures["job_id"], r"^\d+$")
        cells = {e["cell"]: load_json(os.path.join(run_dir, e["file"]))
                 for e in manifest["cells"]}
        self.assertEqual(list(cells), ["create_worker", "do_job", "get_worker", "redo_job",
                                       "get_job"])
        port = cells["get_job"]["target"]["port"]
        self.assertEqual(processes_with_tag(f"server.py --port {port}"), [])
        self.assertEqual(processes_with_tag(f"-p {run_dir}"), [])

        text = subprocess.run([benchctl_path(), "report", run_dir, "--style", "wrk-commands"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn(f"/worker/{captures['worker_id']}/job/{captures['job_id']}?authorize_key="
                      "d0f4ac8c14eae3a992aa574a55099e4f'\n", text.stdout)
        rendered = sections(text.stdout)[:5]
        with open(SOURCE_004) as f:
            source = sections(f.read())
        self.assertEqual((len(rendered), len(source)), (5, 5))
        for (heading, block), (source_heading, source_block) in zip(rendered, source):
            with self.subTest(heading=heading):
                # The source's wrk sent its POSTs from a Lua script (-s FILE); benchctl's model
                # sends the body itself and heads the cell with its own command line.
                if " -s " in source_heading:
                    source_heading = re.sub(r"^## wrk (.*) -s \S+ ", r"## benchctl load \1 -m "
                                            "POST ", source_heading)
                self.assertEqual(heading, source_heading)
                self.assertEqual(block, source_block)

        # The app's rules: redo of a queued job is refused (409) after the verify request's
        # 200, so the redo cell is all non-2xx as in the source; the others all succeed.
        statuses = {cell: doc["load"]["status_codes"] for cell, doc in cells.items()}
        self.assertEqual(list(statuses["redo_job"]), ["409"])
        self.assertEqual(list(statuses["create_worker"]), ["201"])
        for cell in ("do_job", "get_worker", "get_job"):
            self.assertEqual(list(statuses[cell]), ["200"])
        self.assertRegex(text.stdout, r"\n  Non-2xx or 3xx responses: (\d+)\nRequests/sec")
