"""The main job end to end, shortened: source 000's matrix (scenarios/django-workers.yaml, the
real Django target under four real servers) runs all 14 cells, every file of the run matches the
documented schemas, no process is left, and the Markdown report has source 000's shape: the same
headings in the same order (golden file copied from the source) with a wrk-layout block under
each leaf that reads, numbers masked, line for line as the source's block under that heading."""

import os
import re
import subprocess
import unittest

from harness import benchctl_path
from run_harness import RunTestCase, processes_with_tag

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(REPO, "scenarios", "django-workers.yaml")
GOLDEN_HEADINGS = os.path.join(REPO, "tests", "golden", "report", "django-workers.headings")
SOURCE_000 = os.path.join(REPO, "tests", "fixtures", "reference", "000_9e3280e0d1fa8050.txt")

OVERRIDES = ["--set", "load.threads=1", "--set", "load.connections=10", "--set", "load.duration=1s",
             "--set", "target.env.WEB_CONCURRENCY=1", "--set", "cooldown=0s"]


def masked_wrk_block(block):
    """wrk's lines up to Transfer/sec, a number with its unit as N, the host as HOST; the socket
    error and non-2xx lines (printed only when not zero: the servers' behaviour) left out."""
    lines = []
    for line in block.splitlines():
        if line.strip().startswith(("Socket errors:", "Non-2xx or 3xx responses:")):
            continue
        line = re.sub(r"http://[^/]+/", "http://HOST/", line)
        lines.append(re.sub(r"\s+", " ", re.sub(r"\d+(\.\d+)?[A-Za-z%]*", "N", line)).strip())
        if line.startswith("Transfer/sec:"):
            break
    return lines


class DjangoQuickstart(RunTestCase):

    def test_source_000_matrix_runs_and_reports_in_its_shape(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", SCENARIO, "--out", run_dir, *OVERRIDES, timeout=240)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("14 done, 0 failed", result.stderr)
        # Every server of the matrix runs from targets/django; none may be left running.
        self.assertEqual(processes_with_tag("project.wsgi:application"), [])
        self.assertEqual(processes_with_tag("project.asgi:application"), [])

        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "complete")
        self.assertEqual(len(manifest["cells"]), 14)
        self.assertNotIn("gunicorn-gevent.cache_hit.async", [c["cell"] for c in manifest["cells"]])
        self.assertTrue(all("Django" in v for v in manifest["tool_versions"].values()),
                        manifest["tool_versions"])

        report = subprocess.run([benchctl_path(), "report", run_dir], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(report.returncode, 0, report.stderr)
        text = report.stdout
        # The results, without the sections that follow them (failed cells, warnings such as
        # shared_cores on a small machine, the environment).
        body = text
        for section in ("\n## Failed cells", "\n## Warnings", "\n## Environment"):
            body = body.split(section)[0]
        headings = [line for line in body.splitlines() if line.startswith("#")]
        with open(GOLDEN_HEADINGS) as f:
            expected = f.read().splitlines()
        self.assertEqual(headings, expected)

        # A wrk-layout block under each of the 14 leaves, and a summary row per cell.
        blocks = re.findall(r"```text\n(.*?)```", body, re.S)
        self.assertEqual(len(blocks), 14)
        for block in blocks:
            self.assertRegex(block, r"^Running 1s test @ http://127\.0\.0\.1:\d+/myapp/(sync|async)/cache_(hit|set)\n")
            self.assertIn("  1 threads and 10 connections\n", block)
            self.assertRegex(block, r"\n    Latency +\S+ +\S+ +\S+ +\S+%\n")
            self.assertRegex(block, r"\nRequests/sec: +\d+\.\d\d\n")
        # Each block, masked, as the source's block under the same heading (same order).
        with open(SOURCE_000) as f:
            source_blocks = re.findall(r"```bash\n(.*?)```", f.read(), re.S)
        self.assertEqual(len(source_blocks), 14)
        for block, source_block in zip(blocks, source_blocks):
            self.assertEqual(masked_wrk_block(block), masked_wrk_block(source_block))
        rows = [line for line in body.splitlines() if line.startswith("| WSGI") or line.startswith("| ASGI")]
        self.assertEqual(len(rows), 14)


if __name__ == "__main__":
    unittest.main()
