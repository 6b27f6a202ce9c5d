"""Source 002 end to end, shortened: scenarios/tornado-longtask.yaml (the four real servers of
targets/tornado-longtask) runs every cell, leaves no process, and its `report --style siege`
has source 002's shape: a numbered item per server headed by its label, holding siege's command
line, banner, "under siege" and "Lifting" lines and its twelve-line summary, each line, numbers
masked, as in the source. The report imports back (`benchctl import siege`) to the same
summaries."""

import os
import re
import subprocess

from harness import benchctl_path
from run_harness import RunTestCase, processes_with_tag

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(REPO, "scenarios", "tornado-longtask.yaml")
SOURCE_002 = os.path.join(REPO, "tests", "fixtures", "reference", "002_c0583614770cbc48.txt")

# 2 s per cell; every server's task 0.28 s (the sync server's default 2.8 s would answer nothing
# in 2 s), so each cell completes requests.
OVERRIDES = ["--set", "load.duration=2s", "--set", "target.env.TASK_STEPS_MS=20,60,200",
             "--set", "cooldown=0s"]


def masked(line):
    return re.sub(r"\s+", " ", re.sub(r"\d+(\.\d+)?", "N", line)).strip()


def items(text):
    """[(heading, [masked block lines without the command line and error lines])]."""
    found = []
    for line in text.splitlines():
        if re.match(r"^\d+\. .*::$", line):
            found.append((line, []))
        elif found and line and not line.startswith(" "):
            break
        elif found and line.strip() and not line.strip().startswith(("$ ", "[error]", "[alert]")):
            found[-1][1].append(masked(line))
    return found


class Source002Siege(RunTestCase):

    def report(self, run_dir, *args):
        result = subprocess.run([benchctl_path(), "report", run_dir, *args], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_source_002_matrix_runs_and_reports_in_siege_layout(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", SCENARIO, "--out", run_dir, *OVERRIDES, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("4 done, 0 failed", result.stderr)
        self.assertEqual(processes_with_tag("server.py --server"), [])
        self.assertRunDirectoryValid(run_dir)

        text = self.report(run_dir, "--style", "siege")
        self.assertTrue(text.startswith("Benchmarks of running a long-term process within an "
                                        "HTTP server\n" + "=" * 63 + "\n"), text[:200])
        rendered = items(text)
        with open(SOURCE_002) as f:
            source = items(f.read().split("Benchmark results:")[1])
        self.assertEqual(len(source), 4)
        self.assertEqual([heading.split(" (``")[0] for heading, _ in rendered],
                         ["1. Synchronous HTTP server", "2. Asynchronous Tornado server, the "
                          "background task runs in the same thread as the I/O loop",
                          "3. Asynchronous Tornado server, the background task runs in a thread "
                          "of a ThreadPoolExecutor", "4. Asynchronous Tornado server, the "
                          "background task runs in a process of a ProcessPoolExecutor"])
        # Blocks without error lines read as the source's error-free ones, line for line.
        for _, block in rendered:
            self.assertEqual(block, source[1][1])
        self.assertRegex(text, r"\n    \$ siege -b -c 25 -t 2S http://127\.0\.0\.1:\d+/\n")

        report_file = os.path.join(self.dir, "report.txt")
        with open(report_file, "w") as f:
            f.write(text)
        imported = os.path.join(self.dir, "imported")
        result = self.run_benchctl("import", "siege", report_file, "--out", imported)
        self.assertEqual(result.returncode, 0, result.stderr)
        again = self.report(imported, "--style", "siege")
        summaries = r"Lifting the server siege\.\.\.\n((?:    .*\n){12})"
        self.assertEqual(len(re.findall(summaries, text)), 4)
        self.assertEqual(re.findall(summaries, again), re.findall(summaries, text))
