"""scenarios/express-vs-drf.yaml (source 003) run from its file alone with the documented short
--set: every cell behind its nginx companion, the postgres service, the migrate setup step, the
table emptied before each cell and its rows equal to the cell's 201 answers after it; then
`benchctl report --style rounds` has the source's shape (a round per worker count, each cell's
label, time taken for its writes, writes per second, the command). Nothing is left running.
Skipped where node's packages, gunicorn, Django REST framework, PostgreSQL or nginx are
missing (scripts/install-deps.sh installs them)."""

import os
import re
import shutil
import unittest

from harness import HERE
from run_harness import RunTestCase, load_json
from test_service_kinds import processes_of, servers_missing

ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIO = os.path.join(ROOT, "scenarios", "express-vs-drf.yaml")
ITERATIONS = 5  # per user: 10 users x 5 = 50 writes a cell


def missing():
    found = list(servers_missing())
    if not os.path.exists(os.path.join(ROOT, "targets", "express-tasks", "node_modules", ".bin",
                                       "pm2-runtime")) or shutil.which("node") is None:
        found.append("node and targets/express-tasks/node_modules")
    if not os.path.exists("/usr/bin/gunicorn"):
        found.append("gunicorn")
    try:
        import rest_framework  # noqa: F401
    except ImportError:
        found.append("python3-djangorestframework")
    return found


@unittest.skipIf(missing(), f"not installed: {', '.join(missing())}")
class ExpressVsDrf(RunTestCase):

    def test_the_short_run_checks_every_write_and_reports_the_sources_rounds(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", SCENARIO, "--set", f"load.iterations={ITERATIONS}",
                                   "--out", run_dir, timeout=400)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(processes_of(self.tag, self.dir), {})
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        writes = 10 * ITERATIONS
        ids = []
        for entry in manifest["cells"]:
            cell = load_json(os.path.join(run_dir, entry["file"]))
            ids.append(cell["cell"])
            self.assertEqual(cell["status"], "done", cell["failure"])
            self.assertEqual(cell["load"]["status_codes"], {"201": writes}, cell["cell"])
            self.assertEqual(cell["checks"], [{"name": "rows", "passed": True,
                                               "expected": str(writes), "actual": str(writes),
                                               "failure": None}])
            self.assertEqual([c["name"] for c in cell["companions"]], ["nginx"])
            self.assertEqual([s["name"] for s in cell["services"]], ["db"])
        self.assertEqual(ids, ["1.express", "1.drf", "2.express", "2.drf", "3.express", "3.drf",
                               "9.drf", "gevent-9x1000.drf", "gevent-4x500.drf",
                               "gevent-1x1000.drf"])

        report = self.run_benchctl("report", run_dir, "--style", "rounds")
        self.assertEqual(report.returncode, 0, report.stderr)
        text = report.stdout
        self.assertTrue(text.startswith(
            "# NodeJs (ExpressJs) vs Django Python3 (Performance test)\n"), text[:200])
        rounds = re.findall(r"^##### Round (\d+): (.*)$", text, re.M)
        self.assertEqual(rounds, [
            ("1", "without workers (no cluster mode)"), ("2", "2 workers (cluster mode)"),
            ("3", "3 workers (cluster mode; -i -1 on the source's 4 cores)"),
            ("4", "suggested number of gunicorn workers, (2 x CPU) + 1"),
            ("5", "gevent pseudo threads (1000 x 9)"), ("6", "gevent pseudo threads (500 x 4)"),
            ("7", "gevent pseudo threads (only gevent 1000)")])
        # Each cell as the source writes it: who, the time of its writes, writes/s, the command.
        cells = re.findall(
            r"^> (NodeJs running on PM2|Django running on Gunicorn) \(`([^`]+)`\)\n\n"
            rf"Time taken for {writes} write requests: \*\*\d+\.\d\d seconds\*\*\n"
            r"Write requests per second: \d+\.\d\d\n"
            r"\(```(.*)```\)$", text, re.M)
        self.assertEqual([cell for _, cell, _ in cells], ids)
        commands = {cell: command for _, cell, command in cells}
        self.assertTrue(commands["2.express"].endswith("./serve.sh cluster 2"))
        self.assertRegex(commands["1.drf"], r"gunicorn task_management\.wsgi -b 127\.0\.0\.1:\d+$")


if __name__ == "__main__":
    unittest.main()
