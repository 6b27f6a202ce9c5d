"""Source 001 end to end, shortened: scenarios/gunicorn-dirty.yaml (targets/dirty-pool, one pool
per routing design shared by its six scenarios and warmed up once) runs every cell with the
README's short --set, leaves no process, and its `report --format json --style gunicorn-bench
--scenario-axis scenario` has source 001's structure: the same keys in the same order with the
same types (numbers masked), the source's six scenarios in its order once per routing design,
and config holding the source's keys after the run's own "routing"."""

import json
import os
import re
import subprocess

from harness import benchctl_path
from run_harness import RunTestCase, load_json, processes_with_tag

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(REPO, "scenarios", "gunicorn-dirty.yaml")
SOURCE_001 = os.path.join(REPO, "tests", "fixtures", "reference", "001_bd0f1b7dcbb0b206.txt")

# The README's short --set: 20 requests at 10 connections per scenario.
SHORT = ["--set", "load.requests=20", "--set", "load.connections=10", "--set", "cooldown=0s"]


def masked(value):
    """The value with every number replaced by its type and every digit of a string by 9."""
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return "<integer>"
    if isinstance(value, float):
        return "<float>"
    return re.sub(r"\d", "9", value)


def structure(value):
    """Keys in order, recursively, with masked leaves: json.dumps keeps dict order."""
    return json.dumps(masked(value), indent=1)


def source_001():
    with open(SOURCE_001) as f:
        text = f.read()
    return json.loads(text[text.index("{\n"):])


class Source001GunicornBench(RunTestCase):

    def test_source_001_matrix_runs_and_reports_in_the_source_json_shape(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", SCENARIO, "--out", run_dir, *SHORT, timeout=240)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("12 done, 0 failed", result.stderr)
        manifest = self.assertRunDirectoryValid(run_dir)

        # One pool per routing design, shared by its six cells, warmed up by the first of them.
        cells = [load_json(os.path.join(run_dir, e["file"])) for e in manifest["cells"]]
        ports = {(c["parameters"][0]["name"], c["target"]["port"]) for c in cells}
        self.assertEqual(sorted(r for r, _ in ports), ["lock", "queue"])
        self.assertTrue(all(c["target"]["shared"] for c in cells))
        for _, port in ports:
            self.assertEqual(processes_with_tag(f"server.py --port {port} "), [])
        logs = os.path.join(run_dir, "logs")
        warmups = sorted(n for n in os.listdir(logs) if n.endswith(".before-warmup.log"))
        warmed = []
        for name in warmups:
            with open(os.path.join(logs, name)) as f:
                if "warmed up: 10 health calls" in f.read():
                    warmed.append(name)
        self.assertEqual(warmed, ["lock.4.1.baseline_10ms.before-warmup.log",
                                  "queue.4.1.baseline_10ms.before-warmup.log"])

        report = subprocess.run([benchctl_path(), "report", run_dir, "--format", "json",
                                 "--style", "gunicorn-bench", "--scenario-axis", "scenario"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(report.returncode, 0, report.stderr)
        doc = json.loads(report.stdout)
        source = source_001()
        self.assertEqual(list(doc), list(source))
        self.assertEqual(masked(doc["timestamp"]), masked(source["timestamp"]))
        scenarios = [r["scenario"] for r in source["results"]]
        self.assertEqual([r["scenario"] for r in doc["results"]], scenarios * 2)
        for index, result in enumerate(doc["results"]):
            with self.subTest(result=index):
                config = result["config"]
                self.assertEqual(list(config)[0], "routing")
                self.assertEqual(config.pop("routing"), "lock" if index < 6 else "queue")
                wanted = source["results"][index % 6]
                self.assertEqual(config["task_action"], wanted["config"]["task_action"])
                self.assertEqual(config["task_args"], wanted["config"]["task_args"])
                self.assertEqual(result["successful"], 20)
                self.assertEqual(structure(result), structure(wanted))
