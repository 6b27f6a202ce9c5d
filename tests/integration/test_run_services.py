"""`services:` start once before the cells, hand their ports to the cells as ${<name>.port}, and
stop at the end of the run, leaving no process; a service that never gets ready stops the run
before any cell, with its log's tail in the message."""

import os
import unittest

from run_harness import RunTestCase, load_json

MATRIX = """\
name: services
services:
  backend:
    command: ["@PYTHON@", "@FAKE_TARGET@", "${behaviour}", "${port}", --tag, "${env:FAKE_TAG}"]
    ready: {tcp: true, timeout: 2s}
axes:
  round: [a, b]
target:
  command: ["@PYTHON@", "@FAKE_TARGET@", ok, "${port}", --tag, "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 5s}
load:
  url: "http://127.0.0.1:${backend.port}/from-${cell}"
  threads: 1
  connections: 2
  duration: 1s
"""


class RunServices(RunTestCase):

    def test_cells_reach_the_service_by_its_port_variable(self):
        matrix = self.write_matrix(MATRIX.replace('"${behaviour}"', "ok"))
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        urls = []
        for entry in manifest["cells"]:
            cell = load_json(os.path.join(run_dir, entry["file"]))
            self.assertGreater(cell["load"]["requests"]["completed"], 0)
            urls.append(cell["load"]["url"])
        # Both cells drove the same service port, not their own target's.
        ports = {url.split(":")[2].split("/")[0] for url in urls}
        self.assertEqual(len(ports), 1, urls)
        self.assertEqual([u.rsplit("/", 1)[1] for u in urls], ["from-a", "from-b"])
        with open(os.path.join(run_dir, "logs", "service-backend.log")) as f:
            self.assertIn(f"listening on 127.0.0.1:{ports.pop()}", f.read())

    def test_a_service_that_never_gets_ready_stops_the_run_before_any_cell(self):
        matrix = self.write_matrix(MATRIX.replace('"${behaviour}"', "never_ready"))
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("service 'backend' is not ready", result.stderr)
        self.assertIn("starting, slowly", result.stderr)
        self.assertNoProcessLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "failed")
        self.assertEqual([e["status"] for e in manifest["cells"]], ["pending", "pending"])


if __name__ == "__main__":
    unittest.main()
