"""The source styles of `benchctl report` through the real binary, on runs imported from the
source documents (no servers): each source renders back in its own style (001 as gunicorn-bench
JSON, 004 as wrk-commands Markdown), and misused style flags exit 2 naming the flag."""

import json
import os

from run_harness import RunTestCase

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "fixtures", "reference")
SOURCE_001 = os.path.join(FIXTURES, "001_bd0f1b7dcbb0b206.txt")
SOURCE_004 = os.path.join(FIXTURES, "004_ab4033540cefe33c.txt")


def sections(text):
    """Each `## wrk ...` heading's block (the first fenced one after it), as lines."""
    found = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## wrk "):
            start = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```")) + 1
            end = next(j for j in range(start, len(lines)) if lines[j].startswith("```"))
            found.append(lines[start:end])
    return found


class ReportStylesTest(RunTestCase):

    def import_run(self, *args):
        out = os.path.join(self.dir, "imported")
        result = self.run_benchctl("import", *args, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        return out

    def test_source_004_renders_back_with_wrk_command_headings(self):
        run_dir = self.import_run(SOURCE_004)
        result = self.run_benchctl("report", run_dir, "--style", "wrk-commands")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(SOURCE_004) as f:
            source = f.read()
        self.assertEqual(sections(result.stdout), sections(source))
        self.assertIn("\n## wrk -d 30s -t 4 -c 8 --latency 'http://0.0.0.0:8000/worker/65542/job/"
                      "4904/redo?authorize_key=d0f4ac8c14eae3a992aa574a55099e4f'\n",
                      result.stdout)

    def test_scenario_axis_names_the_scenarios_and_is_checked(self):
        run_dir = self.import_run("gunicorn-bench", SOURCE_001)
        result = self.run_benchctl("report", run_dir, "--format", "json", "--style",
                                   "gunicorn-bench", "--scenario-axis", "scenario")
        self.assertEqual(result.returncode, 0, result.stderr)
        names = [r["scenario"] for r in json.loads(result.stdout)["results"]]
        self.assertEqual(names[0], "baseline_10ms")

        result = self.run_benchctl("report", run_dir, "--format", "json", "--style",
                                   "gunicorn-bench", "--scenario-axis", "scenarios")
        self.assertEqual(result.returncode, 2)
        self.assertIn("the run has no axis 'scenarios', --scenario-axis; did you mean 'scenario'",
                      result.stderr)

        result = self.run_benchctl("report", run_dir, "--scenario-axis", "scenario")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--scenario-axis", result.stderr)
        self.assertIn("--format json --style gunicorn-bench", result.stderr)

    def test_markdown_styles_are_refused_for_json(self):
        run_dir = self.import_run(SOURCE_004)
        result = self.run_benchctl("report", run_dir, "--format", "json", "--style", "rounds")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--style", result.stderr)
