"""Companions (target.companions): a real nginx started by benchctl in front of a small Python
server, in each cell's own lifecycle. The load goes to the cell's ${port} (nginx), which forwards
to the target on ${app_port}; every request the load counts is in nginx's access log and reached
the app; the cell document samples the companion apart from the target; SIGINT during a cell
leaves no nginx. Skipped where nginx is not installed (scripts/install-deps.sh installs it)."""

import json
import os
import re
import shutil
import signal
import unittest

from harness import HERE
from run_harness import RunTestCase, load_json
from test_service_kinds import processes_of, read, wait_for_text

APP = os.path.join(HERE, "companion_app.py")

MATRIX = """\
name: companions
axes:
  mode: [proxied]
target:
  command: ["@PYTHON@", "@APP@", "${app_port}"]
  ready: {tcp: true, timeout: 20s}
  companions:
    front: {kind: nginx, settings: {worker_processes: 1}}
load:
  path: /hello
  threads: 1
  connections: 4
  @STOP@
"""


def nginx_missing():
    return shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin") is None


@unittest.skipIf(nginx_missing(), "nginx is not installed (nginx-light)")
class Companions(RunTestCase):

    def write(self, stop):
        return self.write_matrix(MATRIX.replace("@APP@", APP).replace("@STOP@", stop))

    def assertNoNginxLeft(self):
        left = {pid: cmd for pid, cmd in processes_of(self.tag, self.dir).items()}
        self.assertEqual(left, {}, "processes of the run are left")
        self.assertNoProcessLeft()

    def test_every_request_goes_through_nginx_to_the_app(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", self.write("requests: 400"), "--out", run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        manifest = self.assertRunDirectoryValid(run_dir)
        cell = load_json(os.path.join(run_dir, manifest["cells"][0]["file"]))
        self.assertEqual(cell["status"], "done", cell["failure"])
        completed = cell["load"]["requests"]["completed"]
        self.assertEqual(completed, 400)
        self.assertEqual(cell["load"]["status_codes"], {"200": completed})
        port, app_port = cell["target"]["port"], cell["target"]["app_port"]
        self.assertNotEqual(port, app_port)
        access = read(os.path.join(run_dir, "logs", "proxied.front.access.log")).decode()
        self.assertEqual(access.count("GET /hello"), completed)
        served = read(os.path.join(run_dir, "logs", "proxied.log")).decode()
        self.assertEqual(len(re.findall(r"^served /hello$", served, re.M)), completed)
        conf = read(os.path.join(run_dir, "companions", "proxied", "front", "nginx.conf")).decode()
        self.assertIn(f"listen 127.0.0.1:{port};", conf)
        self.assertIn(f"server 127.0.0.1:{app_port};", conf)
        # As root, nginx's workers run as benchctl does rather than as nobody.
        self.assertEqual("user root root;" in conf, os.getuid() == 0)
        # The companion is sampled apart from the target.
        self.assertEqual([(c["name"], c["kind"]) for c in cell["companions"]], [("front", "nginx")])
        self.assertGreater(cell["companions"][0]["resources"]["peak_rss_bytes"], 0)
        self.assertGreater(cell["target"]["resources"]["peak_rss_bytes"], 0)
        self.assertNoNginxLeft()

    def test_a_shared_target_and_its_nginx_serve_every_cell_once_started(self):
        ready = "  ready: {tcp: true, timeout: 20s}\n"
        matrix = (MATRIX.replace("mode: [proxied]", "mode: [first, second]")
                  .replace(ready, ready + "  scope: run\n"))
        run_dir = os.path.join(self.dir, "run")
        path = self.write_matrix(matrix.replace("@APP@", APP).replace("@STOP@", "requests: 200"))
        result = self.run_benchctl("run", path, "--out", run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        manifest = self.assertRunDirectoryValid(run_dir)
        cells = [load_json(os.path.join(run_dir, c["file"])) for c in manifest["cells"]]
        self.assertEqual([c["status"] for c in cells], ["done", "done"])
        self.assertTrue(all(c["target"]["shared"] for c in cells))
        self.assertEqual(len({(c["target"]["port"], c["target"]["app_port"]) for c in cells}), 1)
        # One nginx for both cells: its access log holds every request of each.
        access = read(os.path.join(run_dir, "logs", "shared.front.access.log")).decode()
        self.assertEqual(access.count("GET /hello"), 400)
        self.assertTrue(os.path.exists(os.path.join(run_dir, "companions", "shared", "front",
                                                    "nginx.conf")))
        self.assertEqual([[x["name"] for x in c["companions"]] for c in cells],
                         [["front"], ["front"]])
        self.assertNoNginxLeft()

    def test_the_same_run_as_an_unprivileged_user(self):
        run_dir, result = self.run_as_nobody(self.write("requests: 100"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        manifest = self.assertRunDirectoryValid(run_dir)
        cell = load_json(os.path.join(run_dir, manifest["cells"][0]["file"]))
        self.assertEqual(cell["load"]["status_codes"], {"200": 100})
        conf = read(os.path.join(run_dir, "companions", "proxied", "front", "nginx.conf")).decode()
        self.assertNotIn("user root", conf)
        access = read(os.path.join(run_dir, "logs", "proxied.front.access.log")).decode()
        self.assertEqual(access.count("GET /hello"), 100)
        self.assertNoNginxLeft()

    def test_list_shows_each_cells_companions(self):
        matrix = self.write("requests: 400")
        text = self.run_benchctl("list", matrix).stdout
        self.assertIn("  companions  front: nginx, upstream 127.0.0.1:${app_port}, settings "
                      "worker_processes=1\n", text)
        listed = json.loads(self.run_benchctl("list", matrix, "--json").stdout)
        self.assertEqual(listed["cells"][0]["target"]["companions"], [
            {"name": "front", "kind": "nginx", "settings": {"worker_processes": "1"},
             "keep_data": False, "upstream": "127.0.0.1:${app_port}"}])

    def test_sigint_during_a_cell_leaves_no_nginx(self):
        run_dir = os.path.join(self.dir, "run")
        proc = self.start_benchctl("run", self.write("duration: 30s"), "--out", run_dir)
        access = os.path.join(run_dir, "logs", "proxied.front.access.log")
        loaded = wait_for_text(access, r"GET /hello", proc, 60)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        self.assertTrue(loaded, err)
        self.assertEqual(proc.returncode, 130, err)
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual([c["status"] for c in manifest["cells"]], ["interrupted"])
        self.assertNoNginxLeft()


if __name__ == "__main__":
    unittest.main()
