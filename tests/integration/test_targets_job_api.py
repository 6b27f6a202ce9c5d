"""targets/job-api (source 004): the five endpoints over a private PostgreSQL, the key check
(401), the job rules (do_job finishes a job, redo re-queues a finished one and refuses a queued
one with 409), rows in the database, and a clean stop on SIGTERM."""

import json
import os

from harness import run_load
from targets_harness import (FORM, JSON, PYTHON, TARGETS, PrivatePostgres, Target,
                             TargetTestCase, descendants)

DIR = os.path.join(TARGETS, "job-api")
KEY = "d0f4ac8c14eae3a992aa574a55099e4f"


class JobApi(TargetTestCase):

    @classmethod
    def setUpClass(cls):
        cls.pg = PrivatePostgres(databases=["jobs"]).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.pg.__exit__(None, None, None)

    def job_api(self, *extra, env=None):
        return Target([PYTHON, "server.py", "--port", "{port}", *extra], cwd=DIR,
                      env=env or {"DATABASE_URL": self.pg.url("jobs")})

    def test_every_worker_url_needs_the_key(self):
        with self.job_api("--authorize-key", "s3cret") as api:
            for method, path in [("POST", "/worker/create"), ("POST", "/worker/1/do_job"),
                                 ("GET", "/worker/1"), ("GET", "/worker/1/job/1/redo"),
                                 ("GET", "/worker/1/job/1")]:
                for query in ("", "?authorize_key=", f"?authorize_key={KEY}",
                              "?authorize_key=s3cre"):
                    with self.subTest(path=path, query=query):
                        status, doc = api.get(path + query) if method == "GET" else \
                            api.post(path + query, "{}", JSON)
                        self.assertEqual((status, doc), (401, {
                            "error": "missing or wrong authorize_key"}))
            count = "SELECT count(*) FROM worker"
            before = int(self.pg.psql("jobs", count))
            self.assertEqual(api.post("/worker/create?authorize_key=s3cret")[0], 201)
            self.assertEqual(int(self.pg.psql("jobs", count)), before + 1)
            self.assertStopsCleanly(api)

    def test_jobs_are_done_redone_and_read_back_by_the_rules(self):
        k = f"authorize_key={KEY}"
        with self.job_api() as api:
            status, doc = api.post(f"/worker/create?{k}", "name=w1&team=blue", FORM)
            self.assertEqual(status, 201, doc)
            worker = doc["worker"]["id"]
            self.assertEqual(doc["worker"]["meta"], {"team": "blue"})

            status, doc = api.post(f"/worker/{worker}/do_job?{k}",
                                   json.dumps({"payload": {"n": 1}}))
            self.assertEqual((status, doc["job"]["status"], doc["job"]["payload"]),
                             (200, "done", {"n": 1}), doc)
            job = doc["job"]["id"]
            self.assertEqual(self.pg.psql("jobs", f"SELECT status, attempts, worker_id FROM job "
                                                  f"WHERE id = {job}"), f"done|1|{worker}")

            self.assertEqual(api.get(f"/worker/{worker}?{k}")[1]["worker"]["jobs"], {"done": 1})
            status, doc = api.get(f"/worker/{worker}/job/{job}/redo?{k}")
            self.assertEqual((status, doc["job"]["status"], doc["job"]["redos"]),
                             (200, "queued", 1))
            status, doc = api.get(f"/worker/{worker}/job/{job}/redo?{k}")
            self.assertEqual((status, doc), (409, {
                "error": f"job {job} is queued; only a done or failed job can be redone"}))
            self.assertEqual(api.get(f"/worker/{worker}/job/{job}?{k}")[1]["job"]["status"],
                             "queued")
            # do_job takes the queued job before it creates another.
            status, doc = api.post(f"/worker/{worker}/do_job?{k}")
            self.assertEqual((status, doc["job"]["id"], doc["job"]["attempts"]), (200, job, 2))
            status, doc = api.post(f"/worker/{worker}/do_job?{k}", json.dumps({"job_id": job}))
            self.assertEqual(status, 409, doc)
            status, doc = api.post(f"/worker/{worker}/do_job?{k}", '{"fail": true}')
            self.assertEqual((status, doc["job"]["status"]), (200, "failed"))
            self.assertEqual(api.get(f"/worker/{worker}/job/{doc['job']['id']}/redo?{k}")[0], 200)
            self.assertEqual(api.get(f"/worker/{worker}?{k}")[1]["worker"]["jobs"],
                             {"done": 1, "queued": 1})

            self.assertEqual(api.get(f"/worker/{worker}/job/999999?{k}")[0], 404)
            self.assertEqual(api.get(f"/worker/999999?{k}")[0], 404)
            self.assertEqual(api.post(f"/worker/999999/do_job?{k}")[0], 404)
            self.assertEqual(api.get(f"/worker/{worker}/job/99999999999999999999?{k}")[0], 404)
            self.assertEqual(api.post(f"/worker/{worker}/do_job?{k}", "[1]")[0], 400)
            self.assertEqual(api.post(f"/worker/{worker}/do_job?{k}", "{bad")[0], 400)
            self.assertStopsCleanly(api)

    def test_redo_under_load_answers_200_once_then_409(self):
        k = f"authorize_key={KEY}"
        with self.job_api(env=self.pg.env("jobs")) as api:  # the PG* way this time
            worker = api.post(f"/worker/create?{k}")[1]["worker"]["id"]
            job = api.post(f"/worker/{worker}/do_job?{k}")[1]["job"]["id"]
            run = run_load([api.url(f"/worker/{worker}/job/{job}/redo?{k}"), "-t", "2",
                            "-c", "8", "-n", "200"])
            self.assertEqual(run.returncode, 0, run.describe())
            self.assertEqual(run.doc["status_codes"], {"200": 1, "409": 199})
            run = run_load([api.url(f"/worker/{worker}/do_job?{k}"), "-t", "2", "-c", "8",
                            "-n", "100", "-m", "POST", "--body", '{"payload": {"bench": 1}}'])
            self.assertEqual(run.doc["status_codes"], {"200": 100}, run.describe())
            self.assertEqual(self.pg.psql("jobs", f"SELECT jobs_done FROM worker WHERE id = "
                                                  f"{worker}"), "101")
            self.assertStopsCleanly(api)

    def test_several_processes_share_the_port_and_stop_together(self):
        with self.job_api("--workers", "2") as api:
            children = descendants(api.proc.pid)
            self.assertEqual(len(children), 2)
            pids = {api.get("/health")[1]["pid"] for _ in range(20)}
            self.assertTrue(pids <= set(children), (pids, children))
            self.assertEqual(api.post(f"/worker/create?authorize_key={KEY}")[0], 201)
            self.assertStopsCleanly(api, extra_pids=children)
