"""`benchctl run` with hosts: a cell's load split over load agents (docs/hosts.md, phase B).

The agents are the build's `benchctl agent` on `local` hosts (forked by the run, the local
transport); the target is recording_server.py, whose log is the independent witness: the number
of requests it answered equals the merged count, and the agents' parts add up to it. An
unreachable host and an agent of another protocol version stop the run before its first cell.
"""

import json
import os
import subprocess
import unittest

from harness import HERE, benchctl_path
from run_harness import RunTestCase, load_json

RECORDER = os.path.join(HERE, "recording_server.py")

MATRIX = """\
name: hosts-split
hosts:
  a: {local: true}
  b: {local: true}
axes:
  split:
    - name: even
      load: {agents: [a, b]}
    - name: weighted
      load: {agents: [a, {host: b, weight: 2}]}
target:
  command: ["@PYTHON@", "@RECORDER@", "${port}", "--log", "${run_dir}/log-${cell}.jsonl",
            "--tag", "${env:FAKE_TAG}"]
  ready: {tcp: true, timeout: 5s}
load:
  url: "http://${target.host}:${port}/"
  threads: 1
  connections: 4
  requests: 600
"""


class LoadAgentsInARun(RunTestCase):

    def requests_seen(self, run_dir, cell):
        with open(os.path.join(run_dir, f"log-{cell}.jsonl"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        return sum(1 for r in records if r["event"] == "request")

    def test_a_load_split_over_two_agents_is_counted_exactly_by_the_target(self):
        matrix = self.write_matrix(MATRIX.replace("@RECORDER@", RECORDER))
        result = self.run_benchctl("run", matrix, "--out", "run")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNoProcessLeft()
        run_dir = os.path.join(self.dir, "run")
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(sorted(manifest["hosts"]), ["a", "b"])
        self.assertEqual(manifest["hosts"]["a"]["transport"], "local")
        self.assertEqual(manifest["hosts"]["a"]["host"]["cores"], manifest["host"]["cores"])
        for cell, parts in (("even", [300, 300]), ("weighted", [150, 450])):
            doc = load_json(os.path.join(run_dir, "cells", f"{cell}.json"))
            merged = doc["load"]["requests"]
            self.assertEqual(merged["completed"], 600)
            self.assertEqual([a["host"] for a in doc["agents"]], ["a", "b"])
            self.assertEqual([a["load"]["requests"]["completed"] for a in doc["agents"]], parts)
            # Connections by weight (1:2 of 4 is 1 and 3), then requests by connections.
            self.assertEqual(sum(a["load"]["settings"]["connections"] for a in doc["agents"]), 4)
            # The target answered exactly what the merge counts (TCP readiness sends nothing).
            self.assertEqual(self.requests_seen(run_dir, cell), merged["completed"])

    def test_an_unreachable_host_stops_the_run_before_its_first_cell(self):
        text = MATRIX.replace("@RECORDER@", RECORDER).replace(
            "b: {local: true}", "b: {ssh: {address: 127.0.0.1, port: 2, "
            "options: [ConnectTimeout=5]}}")
        result = self.run_benchctl("run", self.write_matrix(text), "--out", "run")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("cannot reach the agent on host 'b'", result.stderr)
        self.assertIn("Connection refused", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "run")), "a cell ran")
        self.assertNoProcessLeft()

    def test_an_agent_of_another_protocol_is_refused_before_the_first_cell(self):
        matrix = self.write_matrix(MATRIX.replace("@RECORDER@", RECORDER))
        env = self.env()
        env["BENCHCTL_TEST_AGENT_PROTOCOL"] = "2"  # the local agents inherit it
        result = subprocess.run([benchctl_path(), "run", matrix, "--out", "run"],
                                capture_output=True, text=True, timeout=60, env=env,
                                cwd=self.dir)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("host 'a' runs benchctl", result.stderr)
        self.assertIn("speaks agent protocol 2", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "run")), "a cell ran")
        self.assertNoProcessLeft()


if __name__ == "__main__":
    unittest.main()
