"""`benchctl import`: the source documents imported with the real binary and rendered back.

Every figure of sources 000, 001, 002 and 004 (copied into tests/fixtures/reference/) must come
back out of `benchctl report`: each wrk block line for line (Markdown, wrk layout), each siege
summary line for line (--style siege), and every field of every gunicorn-bench scenario as the
same JSON value (--format json --style gunicorn-bench). The run directories must match the
documented schemas, and bad input must be refused with file:line.
"""

import json
import os
import re
import unittest

from run_harness import RunTestCase, load_json

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "fixtures", "reference")
SOURCE_000 = os.path.join(FIXTURES, "000_9e3280e0d1fa8050.txt")
SOURCE_001 = os.path.join(FIXTURES, "001_bd0f1b7dcbb0b206.txt")
SOURCE_002 = os.path.join(FIXTURES, "002_c0583614770cbc48.txt")
SOURCE_004 = os.path.join(FIXTURES, "004_ab4033540cefe33c.txt")

SIEGE_LABELS = ("Transactions:", "Availability:", "Elapsed time:", "Data transferred:",
                "Response time:", "Transaction rate:", "Throughput:", "Concurrency:",
                "Successful transactions:", "Failed transactions:", "Longest transaction:",
                "Shortest transaction:")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def wrk_blocks(text):
    """Each wrk summary in `text`: its lines from 'Running' to 'Transfer/sec:'."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith("Running "):
            current = []
        if current is not None:
            current.append(line)
            if line.startswith("Transfer/sec:"):
                blocks.append(current)
                current = None
    return blocks


def siege_blocks(text):
    """Each siege summary in `text`: its twelve lines without indentation."""
    lines = [line.strip() for line in text.splitlines()]
    blocks = []
    for i, line in enumerate(lines):
        if line.startswith("Transactions:"):
            blocks.append(lines[i:i + len(SIEGE_LABELS)])
    return blocks


def headings(text):
    return [line for line in text.splitlines() if re.match(r"#{2,6} ", line)]


class ImportTest(RunTestCase):
    def import_run(self, *args):
        out = os.path.join(self.dir, "imported")
        result = self.run_benchctl("import", *args, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRunDirectoryValid(out)
        return out

    def report(self, run_dir, *args):
        result = self.run_benchctl("report", run_dir, *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_source_000_renders_back_block_for_block_under_its_headings(self):
        run_dir = self.import_run(SOURCE_000, "--axes", "server,endpoint,mode")
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        self.assertEqual([axis["name"] for axis in manifest["matrix"]["axes"]],
                         ["server", "endpoint", "mode"])
        self.assertEqual(manifest["matrix"]["title"], "Django Workers")
        markdown = self.report(run_dir, "--format", "md")
        source = read(SOURCE_000)
        self.assertEqual(len(wrk_blocks(source)), 14)
        self.assertEqual(wrk_blocks(markdown), wrk_blocks(source))
        self.assertTrue(markdown.startswith("# Django Workers\n"))
        # The hierarchy of the source: server, endpoint, mode as ##, ###, ####, labels as written.
        self.assertEqual(headings(markdown)[:4], ["## WSGI Gunicorn Gevent", "### Fake redis hit",
                                                  "#### Sync", "### Fake cache set"])
        for heading in set(headings(source)):
            self.assertIn(heading, headings(markdown))

    def test_source_004_keeps_latency_distribution_and_error_lines(self):
        run_dir = self.import_run("markdown", SOURCE_004)
        markdown = self.report(run_dir)
        source = read(SOURCE_004)
        self.assertEqual(len(wrk_blocks(source)), 5)
        self.assertEqual(wrk_blocks(markdown), wrk_blocks(source))
        self.assertIn("  Non-2xx or 3xx responses: 88230", markdown)
        self.assertIn("  Socket errors: connect 0, read 2787, write 0, timeout 0", markdown)
        for heading in headings(source):
            self.assertIn(heading, headings(markdown))

    def test_source_002_renders_back_as_the_same_siege_summaries(self):
        run_dir = self.import_run(SOURCE_002)
        markdown = self.report(run_dir, "--style", "siege")
        expected = siege_blocks(read(SOURCE_002))
        self.assertEqual(len(expected), 4)
        self.assertEqual(siege_blocks(markdown), expected)
        cell = load_json(os.path.join(run_dir, "cells", "002_c0583614770cbc48-1.json"))
        self.assertEqual(cell["load"]["errors"]["read"], 5)  # siege's five "read error" lines
        self.assertEqual(cell["load"]["settings"]["connections"], 25)

    def test_source_001_round_trips_every_field_of_every_scenario(self):
        run_dir = self.import_run("gunicorn-bench", SOURCE_001)
        rendered = json.loads(self.report(run_dir, "--format", "json", "--style",
                                          "gunicorn-bench"))
        text = read(SOURCE_001)
        source = json.loads(text[text.index("{\n"):])
        self.assertEqual(rendered["timestamp"], source["timestamp"])
        self.assertEqual(len(rendered["results"]), 6)
        self.assertEqual(rendered["results"], source["results"])

    def test_wrk_files_become_one_cell_each_and_render_in_every_format(self):
        blocks = wrk_blocks(read(SOURCE_004))
        files = []
        for name, block in (("create", blocks[0]), ("redo", blocks[3])):
            path = os.path.join(self.dir, f"{name}.txt")
            with open(path, "w") as f:
                f.write("$ wrk ...\n" + "\n".join(block) + "\n")
            files.append(path)
        run_dir = self.import_run("wrk", *files, "--name", "job-api")
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        self.assertEqual([entry["cell"] for entry in manifest["cells"]], ["create", "redo"])
        self.assertEqual(manifest["matrix"]["title"], "job-api")
        self.assertEqual(wrk_blocks(self.report(run_dir)), [blocks[0], blocks[3]])
        rows = json.loads(self.report(run_dir, "--format", "json"))["rows"]
        self.assertEqual(rows[1]["figures"]["non_2xx_3xx"], 88230)
        self.assertEqual(rows[0]["figures"]["latency_ms"]["p99"], 63.22)
        self.assertIsNone(rows[0]["figures"]["latency_ms"]["min"])  # wrk does not print it
        csv = self.report(run_dir, "--format", "csv")
        self.assertIn("449.92", csv)

    def test_refuses_an_existing_run_directory(self):
        out = self.import_run(SOURCE_000)
        before = read(os.path.join(out, "manifest.json"))
        result = self.run_benchctl("import", SOURCE_000, "--out", out)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--out", result.stderr)
        self.assertEqual(read(os.path.join(out, "manifest.json")), before)

    def test_refuses_a_name_that_is_not_a_run_name_and_writes_nothing(self):
        # results/<time>-../../../../<escaped> once led to the directory above self.dir.
        escaped = f"escaped-{self.tag}"
        for name in (f"../../../../{escaped}", "two\nlines", "Upper Case"):
            result = self.run_benchctl("import", SOURCE_000, "--name", name)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("--name", result.stderr)
        self.assertEqual(os.listdir(self.dir), [])
        self.assertFalse(os.path.exists(os.path.join(os.path.dirname(self.dir), escaped)))

    def test_report_checks_its_output_path_before_rendering(self):
        run_dir = self.import_run(SOURCE_000)
        for out in (os.path.join(self.dir, "missing", "r.md"), self.dir):
            result = self.run_benchctl("report", run_dir, "-o", out)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("-o", result.stderr)

    def test_names_file_and_line_of_a_malformed_block(self):
        path = os.path.join(self.dir, "broken.txt")
        with open(path, "w") as f:
            f.write("Running 10s test @ http://127.0.0.1/\n  2 threads and 10 connections\n"
                    "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
                    "    Latency    lots\n")
        result = self.run_benchctl("import", "wrk", path, "--out", os.path.join(self.dir, "o"))
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"{path}:4", result.stderr)
        self.assertIn("Latency", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "o")))

    def test_refuses_an_unknown_format_and_a_file_of_no_known_format(self):
        result = self.run_benchctl("import", "wrrk", SOURCE_000, "--out",
                                   os.path.join(self.dir, "o"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown import format 'wrrk'", result.stderr)
        self.assertIn("did you mean 'wrk'", result.stderr)
        path = os.path.join(self.dir, "notes.txt")
        with open(path, "w") as f:
            f.write("nothing measured here\n")
        result = self.run_benchctl("import", path, "--out", os.path.join(self.dir, "o"))
        self.assertEqual(result.returncode, 2)
        self.assertIn(path, result.stderr)
        result = self.run_benchctl("import", "siege", SOURCE_000, "--out",
                                   os.path.join(self.dir, "o"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("no siege summary", result.stderr)


if __name__ == "__main__":
    unittest.main()
