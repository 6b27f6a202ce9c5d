"""targets/drf-tasks (source 003, Django side): migrations apply to a private PostgreSQL, form
POSTs to /api/tasks/ answer 201 with the row and land in table task, under gunicorn sync and
gevent workers, and gunicorn stops on SIGTERM with nothing left."""

import os
import subprocess

from harness import run_load
from targets_harness import FORM, PYTHON, TARGETS, PrivatePostgres, Target, TargetTestCase

DIR = os.path.join(TARGETS, "drf-tasks")
GUNICORN = "/usr/bin/gunicorn"


class DrfTasks(TargetTestCase):

    @classmethod
    def setUpClass(cls):
        cls.pg = PrivatePostgres(databases=["tasks"]).__enter__()
        try:
            migrate = subprocess.run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=DIR,
                                     env={**os.environ, "DATABASE_URL": cls.pg.url("tasks")},
                                     capture_output=True, text=True, timeout=120)
            if migrate.returncode != 0:
                raise AssertionError(f"migrate failed:\n{migrate.stdout}{migrate.stderr}")
        except BaseException:
            cls.pg.__exit__(None, None, None)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.pg.__exit__(None, None, None)

    def gunicorn(self, *flags, env=None):
        return Target([GUNICORN, "task_management.wsgi", "-b", "127.0.0.1:{port}", *flags],
                      cwd=DIR, env=env or {"DATABASE_URL": self.pg.url("tasks")})

    def rows(self):
        return int(self.pg.psql("tasks", "SELECT count(*) FROM task"))

    def test_a_form_post_answers_201_with_the_row_that_landed(self):
        with self.gunicorn("--workers=2") as app:
            status, doc = app.post("/api/tasks/", "title=Buy milk&description=two litres", FORM)
            self.assertEqual(status, 201, doc)
            self.assertEqual(set(doc), {"id", "title", "description"})
            self.assertEqual(self.pg.psql("tasks", f"SELECT title, description FROM task WHERE "
                                                   f"id = {doc['id']}"), "Buy milk|two litres")
            self.assertEqual(app.get(f"/api/tasks/{doc['id']}/"), (200, doc))
            status, doc = app.post("/api/tasks/", "description=no title", FORM)
            self.assertEqual((status, doc), (400, {"title": ["This field is required."]}))
            self.assertEqual(app.post("/api/tasks/", f"title={'x' * 256}&description=d",
                                      FORM)[0], 400)
            self.assertEqual(app.get("/health"), (200, b"ok"))
            self.assertStopsCleanly(app)

    def test_writes_under_load_all_land_with_sync_and_gevent_workers(self):
        for flags in (["--workers=3"], ["--worker-class=gevent", "--worker-connections=500",
                                        "--workers=2"]):
            with self.subTest(flags=flags), self.gunicorn(*flags,
                                                          env=self.pg.env("tasks")) as app:
                before = self.rows()
                run = run_load([app.url("/api/tasks/"), "-t", "1", "-c", "5", "-n", "100",
                                "-m", "POST", "-H", FORM["Content-Type"].join(
                                    ["Content-Type: ", ""]),
                                "--body", "title=Load&description=one of a hundred",
                                "--timeout", "10s"])
                self.assertEqual(run.returncode, 0, run.describe())
                self.assertEqual(run.doc["status_codes"], {"201": 100}, run.describe())
                self.assertEqual(self.rows(), before + 100)
                self.assertStopsCleanly(app, within_sec=10.0)
