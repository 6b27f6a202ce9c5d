"""targets/express-tasks (source 003, Node side): under PM2 fork and cluster mode, form POSTs to
/api/tasks answer 201 with the row and land in table task of a private PostgreSQL; a SIGTERM to
the process group stops PM2 and every app instance, and a SIGKILL to the group still takes the
fork-mode app (which PM2 starts in a session of its own) down with PM2."""

import os
import shutil
import signal
import tempfile
import time
import unittest

from harness import run_load
from targets_harness import (FORM, TARGETS, PrivatePostgres, Target, TargetTestCase, alive,
                             descendants)

DIR = os.path.join(TARGETS, "express-tasks")


def require_node():
    if shutil.which("node") is None:
        raise unittest.SkipTest("node not found: install Debian's nodejs (scripts/install-deps.sh)")
    if not os.path.exists(os.path.join(DIR, "node_modules", ".bin", "pm2-runtime")):
        raise unittest.SkipTest("targets/express-tasks/node_modules is missing: run "
                                "scripts/install-deps.sh (npm ci --prefix targets/express-tasks)")


class ExpressTasks(TargetTestCase):

    @classmethod
    def setUpClass(cls):
        require_node()
        cls.pg = PrivatePostgres(databases=["tasks"]).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.pg.__exit__(None, None, None)

    def serve(self, *mode, **env):
        return Target(["./serve.sh", *mode], cwd=DIR,
                      env={"PORT": "{port}", "DATABASE_URL": self.pg.url("tasks"), **env})

    def pm2_home(self, target):
        """The PM2_HOME that serve.sh gave pm2-runtime (its only child)."""
        apps = self.apps(target)
        (runtime,) = [pid for pid in descendants(target.proc.pid) if pid not in apps]
        with open(f"/proc/{runtime}/environ", "rb") as f:
            variables = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
        return variables[b"PM2_HOME"].decode()

    def rows(self):
        return int(self.pg.psql("tasks", "SELECT count(*) FROM task"))

    def apps(self, target):
        """The app.js processes below the target (PM2's instances)."""
        found = []
        for pid in descendants(target.proc.pid):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    # PM2 retitles instances "node /path/app.js", NUL-padded.
                    if f.read().rstrip(b"\0").endswith(b"/app.js"):
                        found.append(pid)
            except OSError:
                pass
        return found

    def test_fork_mode_writes_rows_and_stops_on_sigterm(self):
        with self.serve("fork") as app:
            instances = self.apps(app)
            self.assertEqual(len(instances), 1)
            status, doc = app.post("/api/tasks", "title=Buy milk&description=two litres", FORM)
            self.assertEqual(status, 201, doc)
            self.assertEqual(set(doc), {"id", "title", "description"})
            self.assertEqual(self.pg.psql("tasks", f"SELECT title, description FROM task WHERE "
                                                   f"id = {doc['id']}"), "Buy milk|two litres")
            self.assertEqual(app.get(f"/api/tasks/{doc['id']}"), (200, doc))
            self.assertEqual(app.post("/api/tasks/", "title=&description=x", FORM)[0], 400)
            self.assertEqual(app.post("/api/tasks/", "title=t", FORM)[0], 400)
            before = self.rows()
            run = run_load([app.url("/api/tasks"), "-t", "1", "-c", "5", "-n", "200",
                            "-m", "POST", "-H", "Content-Type: " + FORM["Content-Type"],
                            "--body", "title=Load&description=one of two hundred"])
            self.assertEqual(run.doc["status_codes"], {"201": 200}, run.describe())
            self.assertEqual(self.rows(), before + 200)
            home = self.pm2_home(app)
            self.assertTrue(os.path.isdir(home), home)
            self.assertStopsCleanly(app, extra_pids=instances)
            self.assertFalse(os.path.exists(home), "serve.sh left its PM2_HOME behind")

    def test_cluster_mode_spreads_requests_over_its_instances(self):
        with self.serve("cluster", "2") as app:
            instances = self.apps(app)
            self.assertEqual(len(instances), 2)
            # Ready means one instance answers; the other may still be starting.
            pids, deadline = set(), time.monotonic() + 10
            while pids != set(instances) and time.monotonic() < deadline:
                pids.add(app.get("/health")[1]["pid"])
            self.assertEqual(pids, set(instances))
            self.assertEqual(app.post("/api/tasks", "title=c&description=d", FORM)[0], 201)
            self.assertStopsCleanly(app, extra_pids=instances)

    def test_a_sigkilled_pm2_takes_the_detached_fork_mode_app_along(self):
        # A SIGKILLed serve.sh cannot remove a PM2_HOME of its own: give it one to keep.
        home = tempfile.mkdtemp(prefix="benchctl-pm2-")
        self.addCleanup(shutil.rmtree, home, True)
        with self.serve("fork", PM2_HOME=home) as app:
            instances = self.apps(app)
            self.assertEqual(len(instances), 1)
            self.assertNotEqual(os.getpgid(instances[0]), app.proc.pid,
                                "PM2 no longer detaches fork-mode apps: revisit app.js")
            app.terminate(first_signal=signal.SIGKILL)
            deadline = time.monotonic() + 5
            while alive(instances) and time.monotonic() < deadline:
                time.sleep(0.05)
            left = alive(instances)
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            self.assertEqual(left, [], "the fork-mode app outlived PM2")

    def test_usage_errors_of_serve_sh(self):
        for args in ([], ["cluster"], ["cluster", "0"], ["daemon"]):
            with self.subTest(args=args):
                with self.assertRaises(RuntimeError) as caught:
                    with Target(["./serve.sh", *args], cwd=DIR, ready_sec=5):
                        pass
                self.assertIn("exited with 2", str(caught.exception))
