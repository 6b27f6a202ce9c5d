"""Request models (docs/requests.md) against a server that records what it received.

The recording server (recording_server.py) is the independent witness: bodies are parsed on its
side, ids are the ones it created, and connections are counted as it accepted them.
"""

import collections
import json
import os
import select
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from harness import HERE, PYTHON, SUITE_MARK, LoadTestCase, kill_group, run_load, spawn
from run_harness import RunTestCase, load_json

# Titles that break a careless encoder: form and JSON metacharacters, a newline, non-ASCII.
ROWS = [
    ("a & b = c", 'say "hi"\nsecond line'),
    ("héllo wörld", "plain"),
    ("x+y%20z", "comma, inside"),
    ("tab\there", "back\\slash"),
]


def csv_text(rows):
    """ROWS as RFC 4180 CSV with a header row, every field quoted."""
    def quote(value):
        return '"' + value.replace('"', '""') + '"'
    lines = ["title,description"] + [f"{quote(t)},{quote(d)}" for t, d in rows]
    return "\r\n".join(lines) + "\r\n"


class RecordingServer:
    """recording_server.py in its own process, for a `with` block."""

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix=f"benchctl-requests-{SUITE_MARK}-")
        self.log_path = os.path.join(self.dir, "log.jsonl")
        self.proc = spawn([PYTHON, os.path.join(HERE, "recording_server.py"), "0",
                           "--log", self.log_path],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10.0)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("ready "):
            self.__exit__()
            raise RuntimeError(f"recording_server.py did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *exc):
        kill_group(self.proc)
        self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def file(self, name, text):
        """Writes `text` into the server's temporary directory and returns the file's path."""
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def records(self, event):
        with open(self.log_path, encoding="utf-8") as f:
            return [r for r in map(json.loads, f) if r["event"] == event]


class RequestModels(LoadTestCase):

    def run_script(self, server, script, args, returncode=0):
        path = server.file("script.yaml", script)
        server.file("tasks.csv", csv_text(ROWS))
        run = run_load([server.url(), "--script", path, *args])
        self.assertEqual(run.returncode, returncode, run.describe())
        self.assertIsNotNone(run.doc, run.describe())
        self.assertEqual(run.doc["schema"], "benchctl.load/2")
        return run

    def test_form_bodies_arrive_intact_and_sequential_pick_is_round_robin(self):
        with RecordingServer() as server:
            run = self.run_script(server, """
data:
  tasks: {file: tasks.csv, pick: sequential}
method: POST
path: /items
form: {title: "{{tasks.title}}", description: "{{tasks.description}}"}
""", ["-t", "2", "-c", "4", "-n", "400"])
            requests = server.records("request")
        self.assertEqual(len(requests), 400)
        seen = collections.Counter()
        for r in requests:
            self.assertEqual(r["headers"]["content-type"], "application/x-www-form-urlencoded")
            form = urllib.parse.parse_qs(r["body"], keep_blank_values=True, strict_parsing=True)
            self.assertEqual(sorted(form), ["description", "title"], r["body"])
            seen[(form["title"][0], form["description"][0])] += 1
        self.assertEqual(seen, {row: 100 for row in ROWS}, "sequential is not round-robin")
        self.assertEqual(run.doc["status_codes"], {"201": 400})

    def test_json_bodies_are_valid_and_random_pick_covers_every_row(self):
        with RecordingServer() as server:
            self.run_script(server, """
data:
  tasks: {file: tasks.csv, pick: random}
method: POST
path: /items
json:
  title: "{{tasks.title}}"
  note: "row of {{tasks.description}}!"
  priority: "{{random.int(1,5)}}"
  done: false
  tags: ["{{random.choice(red,green)}}", 7]
""", ["-t", "2", "-c", "4", "-n", "2000", "--seed", "42"])
            requests = server.records("request")
        self.assertEqual(len(requests), 2000)
        rows = collections.Counter()
        for r in requests:
            self.assertEqual(r["headers"]["content-type"], "application/json")
            doc = json.loads(r["body"])
            rows[doc["title"]] += 1
            description = dict(ROWS)[doc["title"]]
            self.assertEqual(doc["note"], f"row of {description}!")
            self.assertIn(doc["priority"], range(1, 6))
            self.assertIs(doc["done"], False)
            self.assertIn(doc["tags"][0], ("red", "green"))
            self.assertEqual(doc["tags"][1], 7)
        # Uniform over 4 rows: each expected 500; chi-square with 3 dof < 16.3 (p = 0.001).
        chi2 = sum((rows[t] - 500) ** 2 / 500 for t, _ in ROWS)
        self.assertLess(chi2, 16.3, rows)

    def test_sequence_reads_only_ids_the_server_created(self):
        with RecordingServer() as server:
            server.file("tasks.csv", csv_text(ROWS))
            script = os.path.join(HERE, "..", "..", "examples", "requests", "sequence.yaml")
            with open(script, encoding="utf-8") as f:
                run = self.run_script(server, f.read(), ["-t", "2", "-c", "4", "-n", "400"])
            requests = server.records("request")
        created = {r["id"] for r in requests if r["method"] == "POST"}
        reads = [r for r in requests if r["method"] == "GET"]
        # -n counts requests, not sequences: a connection may stop after its create.
        self.assertEqual(len(created) + len(reads), 400)
        self.assertLessEqual(len(created) - len(reads), 4)
        self.assertEqual([r for r in reads if r["status"] != 200], [], "a read missed")
        read_ids = [int(r["path"].rsplit("/", 1)[1]) for r in reads]
        self.assertEqual(len(set(read_ids)), len(reads), "an id was read twice")
        self.assertLessEqual(set(read_ids), created)
        by_name = {r["name"]: r for r in run.doc["by_request"]}
        self.assertEqual(by_name["create"]["status_codes"], {"201": len(created)})
        self.assertEqual(by_name["read"]["status_codes"], {"200": len(reads)})
        self.assertEqual(run.doc["errors"]["check"], 0)
        self.assertAccounting(run.doc)

    def test_a_failed_expectation_is_a_check_failure_and_restarts_the_sequence(self):
        with RecordingServer() as server:
            run = self.run_script(server, """
sequence:
  - {name: create, method: POST, path: /items, expect: {status: 200},
     capture: {id: {json: $.id}}}
  - {name: read, path: "/items/{{id}}"}
""", ["-t", "1", "-c", "2", "-n", "50"], returncode=1)  # no request passed: exit 1
            requests = server.records("request")
        self.assertEqual([r["method"] for r in requests], ["POST"] * 50, "the sequence went on")
        by_name = {r["name"]: r for r in run.doc["by_request"]}
        self.assertEqual(by_name["create"]["errors"]["check"], 50)
        self.assertEqual(run.doc["errors"]["check"], 50)
        self.assertAccounting(run.doc)
        self.assertIn("check", run.stdout + run.stderr)

    def test_unique_pick_stops_after_the_last_row_and_says_so(self):
        rows = [(f"title {i}", f"description {i}") for i in range(250)]
        with RecordingServer() as server:
            server.file("tasks.csv", csv_text(rows))
            path = server.file("script.yaml", """
data:
  tasks: {file: tasks.csv, pick: unique}
method: POST
path: /items
form: {title: "{{tasks.title}}"}
""")
            run = run_load([server.url(), "--script", path, "-t", "2", "-c", "4", "-d", "20s"])
            requests = server.records("request")
        self.assertEqual(run.returncode, 0, run.describe())
        titles = [urllib.parse.parse_qs(r["body"])["title"][0] for r in requests]
        self.assertEqual(sorted(titles), sorted(t for t, _ in rows), "not each row exactly once")
        self.assertEqual(run.doc["requests"]["completed"], 250)
        self.assertEqual(run.doc["exhausted_data_set"], "tasks")
        self.assertIn("tasks", run.stdout + run.stderr)
        self.assertIn("used up", run.stdout + run.stderr)

    def test_keepalive_off_opens_one_connection_per_request(self):
        with RecordingServer() as server:
            script = os.path.join(HERE, "..", "..", "examples", "requests", "mix.yaml")
            with open(script, encoding="utf-8") as f:
                run = self.run_script(server, f.read(), ["-t", "2", "-c", "4", "-n", "800"])
            accepts = len(server.records("accept"))
            requests = server.records("request")
        self.assertEqual((len(requests), accepts), (800, 800))
        self.assertEqual(run.doc["connections_opened"], 800)
        for r in requests:
            self.assertTrue(r["path"].endswith("authorize_key=d0f4ac8c"), r["path"])
            self.assertEqual(r["headers"].get("connection"), "close")
        home = sum(1 for r in requests if r["path"].startswith("/?"))
        # 3:1 weights: home expected 600 of 800; binomial sd ~12.2, so 5 sd is 61.
        self.assertLess(abs(home - 600), 61, home)
        by_name = {r["name"]: r["requests"]["completed"] for r in run.doc["by_request"]}
        self.assertEqual(by_name, {"home": home, "item": 800 - home})

    def test_n_iterations_and_rate_count_a_mix_exactly(self):
        script = """
mix:
  - {name: a, path: "/a/{{seq}}", weight: 1}
  - {name: b, method: POST, path: /items, json: {n: "{{random.int(1,9)}}"}, weight: 1}
"""
        for args, expected in ((["-n", "1003"], 1003), (["--iterations", "50"], 350),
                               (["-R", "400", "-n", "300"], 300)):
            with RecordingServer() as server:
                run = self.run_script(server, script, ["-t", "2", "-c", "7", *args])
                received = len(server.records("request"))
            r = run.doc["requests"]
            self.assertEqual((r["started"], r["completed"], received), (expected,) * 3, args)
            self.assertEqual(sum(n["requests"]["completed"] for n in run.doc["by_request"]),
                             expected)
            self.assertAccounting(run.doc)
            if "-R" in args:
                self.assertEqual(run.doc["settings"]["rate_per_sec"], 400)
                self.assertIn("rate", run.doc)

    def test_a_seed_makes_the_random_values_repeat(self):
        script = """
path: "/r/{{random.int(1,1000000)}}/{{uuid}}"
"""
        paths = []
        for _ in range(2):
            with RecordingServer() as server:
                run = self.run_script(server, script,
                                      ["-t", "1", "-c", "1", "-n", "20", "--seed", "7"])
                paths.append([r["path"] for r in server.records("request")])
            self.assertEqual(run.doc["seed"], 7)
        self.assertEqual(paths[0], paths[1])
        self.assertEqual(len(set(paths[0])), 20)


MATRIX = """\
name: request-models
axes:
  shape:
    - name: seq
      load:
        sequence:
          - {name: create, method: POST, path: /items, expect: {status: 201},
             form: {title: "{{tasks.title}}"}, capture: {id: {regex: '"id": ([0-9]+)'}}}
          - {name: read, path: "/items/{{id}}?k={{key}}", expect: {status: 200}}
    - name: mix
      load:
        mix:
          - {name: home, path: "/?k={{key}}", weight: 3}
          - {name: post, method: POST, path: /items, json: {title: "{{tasks.title}}"}}
target:
  command: ["@PYTHON@", "@RECORDER@", "${port}", "--log", "${run_dir}/log-${cell}.jsonl",
            "--tag", "${env:FAKE_TAG}"]
  ready: {tcp: true, timeout: 5s}
load:
  threads: 1
  connections: 2
  iterations: 60
  latency: true
  seed: 5
  vars: {key: k1}
  data: {tasks: {file: tasks.csv, pick: sequential}}
"""


class MatrixRequestModels(RunTestCase):

    def test_a_matrix_load_takes_the_same_model_and_reports_each_named_request(self):
        with open(os.path.join(self.dir, "tasks.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(csv_text(ROWS))
        matrix = self.write_matrix(
            MATRIX.replace("@RECORDER@", os.path.join(HERE, "recording_server.py")))
        result = self.run_benchctl("run", matrix, "--out", "run")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNoProcessLeft()
        run_dir = os.path.join(self.dir, "run")
        self.assertRunDirectoryValid(run_dir)
        for cell, names in (("seq", ["create", "read"]), ("mix", ["home", "post"])):
            doc = load_json(os.path.join(run_dir, "cells", f"{cell}.json"))["load"]
            self.assertEqual([r["name"] for r in doc["by_request"]], names)
            self.assertEqual(sum(r["requests"]["completed"] for r in doc["by_request"]), 120)
            self.assertEqual((doc["seed"], doc["settings"]["latency_distribution"]), (5, True))
            self.assertEqual(doc["errors"]["check"], 0)
        with open(os.path.join(run_dir, "log-seq.jsonl"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        reads = [r for r in records if r["event"] == "request" and r["method"] == "GET"]
        self.assertEqual(len(reads), 60)
        self.assertEqual([r for r in reads if r["status"] != 200], [])
        self.assertTrue(all(r["path"].endswith("?k=k1") for r in reads))
        report = self.run_benchctl("report", run_dir, "--format", "md")
        self.assertEqual(report.returncode, 0, report.stderr)
        for name in ("create", "read", "home", "post"):
            self.assertRegex(report.stdout, rf"\| {name} +\|")


if __name__ == "__main__":
    unittest.main()
