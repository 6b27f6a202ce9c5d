#!/usr/bin/python3
"""Job-queue HTTP API backed by PostgreSQL (source 004): workers, and jobs that a worker does
and redoes. Every /worker URL needs ?authorize_key=KEY; see README.md for the rules.

Usage: server.py [--port P] [--workers N] [--authorize-key K] [--pool-size S]
The database comes from DATABASE_URL (a libpq URL) or, when it is unset, from the PGHOST,
PGPORT, PGUSER, PGPASSWORD and PGDATABASE variables.
"""
import argparse
import asyncio
import datetime
import hashlib
import hmac
import json
import os
import signal
import socket
import sys
import urllib.parse

import asyncpg
from aiohttp import web

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_KEY = "d0f4ac8c14eae3a992aa574a55099e4f"  # the key in the source's URLs
MAX_ID = 2**63 - 1


class ApiError(Exception):
    """An answer other than 2xx, with a JSON body {"error": message}."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _record(row):
    return {k: _plain(v) for k, v in row.items()}


def _json(status, doc):
    return web.json_response(doc, status=status, dumps=lambda d: json.dumps(d, default=str))


def _ids(request, *names):
    values = []
    for name in names:
        value = int(request.match_info[name])
        if value > MAX_ID:
            raise ApiError(404, f"no {name.split('_')[0]} {value}")
        values.append(value)
    return values


async def _body_object(request):
    """The request body as a dict: a JSON object, a form, or {} when there is no body.

    A body that starts with { or [ is read as JSON whatever its Content-Type (wrk scripts and
    curl -d send JSON as a form); any other body as application/x-www-form-urlencoded.
    """
    raw = (await request.read()).strip()
    if not raw:
        return {}
    if request.content_type == "application/json" or raw[:1] in (b"{", b"["):
        try:
            doc = json.loads(raw)
        except ValueError as e:
            raise ApiError(400, f"body is not valid JSON: {e}") from None
        if not isinstance(doc, dict):
            raise ApiError(400, "body must be a JSON object")
        return doc
    return dict(urllib.parse.parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


# ---------------------------------------------------------------------------------------------
# Handlers


async def create_worker(request):
    fields = await _body_object(request)
    name = fields.pop("name", None)
    if name is not None and not isinstance(name, str):
        raise ApiError(400, "name must be a string")
    row = await request.app["db"].fetchrow(
        "INSERT INTO worker (name, meta) VALUES ($1, $2) RETURNING *", name, fields)
    return _json(201, {"worker": _record(row)})


def _run_job(payload):
    # The "work": a digest of the payload. A payload with "fail": true fails, so that the
    # failed state (which redo accepts) can be reached on purpose.
    if payload.get("fail") is True:
        return "failed", "the payload asked to fail"
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return "done", hashlib.sha256(canonical).hexdigest()


async def do_job(request):
    (worker_id,) = _ids(request, "worker_id")
    fields = await _body_object(request)
    job_id = fields.pop("job_id", None)
    payload = fields.pop("payload", fields)
    if not isinstance(payload, dict):
        raise ApiError(400, "payload must be a JSON object")
    async with request.app["db"].acquire() as conn, conn.transaction():
        # Taking the worker's row lock first serializes one worker's do_job calls.
        if await conn.fetchval("UPDATE worker SET last_job_at = now() WHERE id = $1 "
                               "RETURNING id", worker_id) is None:
            raise ApiError(404, f"no worker {worker_id}")
        job = await _pick_job(conn, worker_id, job_id, payload)
        status, result = _run_job(job["payload"])
        row = await conn.fetchrow(
            "UPDATE job SET status = $2, result = $3, attempts = attempts + 1, "
            "finished_at = clock_timestamp() WHERE id = $1 RETURNING *", job["id"], status, result)
        if status == "done":
            await conn.execute("UPDATE worker SET jobs_done = jobs_done + 1 WHERE id = $1",
                               worker_id)
    return _json(200, {"job": _record(row)})


async def _pick_job(conn, worker_id, job_id, payload):
    if job_id is not None:
        try:
            job_id = int(job_id)
        except (TypeError, ValueError):
            raise ApiError(400, "job_id must be an integer") from None
        job = await conn.fetchrow("SELECT * FROM job WHERE id = $1 AND worker_id = $2 "
                                  "FOR UPDATE", job_id, worker_id)
        if job is None:
            raise ApiError(404, f"worker {worker_id} has no job {job_id}")
        if job["status"] != "queued":
            raise ApiError(409, f"job {job_id} is {job['status']}; only a queued job can be "
                                "done (redo it first)")
        return job
    job = await conn.fetchrow("SELECT * FROM job WHERE worker_id = $1 AND status = 'queued' "
                              "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", worker_id)
    if job is None:
        job = await conn.fetchrow("INSERT INTO job (worker_id, payload) VALUES ($1, $2) "
                                  "RETURNING *", worker_id, payload)
    return job


async def get_worker(request):
    (worker_id,) = _ids(request, "worker_id")
    row = await request.app["db"].fetchrow(
        "SELECT w.*, COALESCE((SELECT jsonb_object_agg(status, n) FROM "
        "(SELECT status, count(*) AS n FROM job WHERE job.worker_id = w.id GROUP BY status) s),"
        " '{}') AS jobs FROM worker w WHERE w.id = $1", worker_id)
    if row is None:
        raise ApiError(404, f"no worker {worker_id}")
    return _json(200, {"worker": _record(row)})


async def redo_job(request):
    worker_id, job_id = _ids(request, "worker_id", "job_id")
    db = request.app["db"]
    row = await db.fetchrow(
        "UPDATE job SET status = 'queued', result = NULL, finished_at = NULL, redos = redos + 1 "
        "WHERE id = $1 AND worker_id = $2 AND status IN ('done', 'failed') RETURNING *",
        job_id, worker_id)
    if row is not None:
        return _json(200, {"job": _record(row)})
    status = await db.fetchval("SELECT status FROM job WHERE id = $1 AND worker_id = $2",
                               job_id, worker_id)
    if status is None:
        raise ApiError(404, f"worker {worker_id} has no job {job_id}")
    raise ApiError(409, f"job {job_id} is {status}; only a done or failed job can be redone")


async def get_job(request):
    worker_id, job_id = _ids(request, "worker_id", "job_id")
    row = await request.app["db"].fetchrow(
        "SELECT * FROM job WHERE id = $1 AND worker_id = $2", job_id, worker_id)
    if row is None:
        raise ApiError(404, f"worker {worker_id} has no job {job_id}")
    return _json(200, {"job": _record(row)})


async def health(request):
    await request.app["db"].fetchval("SELECT 1")
    return _json(200, {"status": "ok", "pid": os.getpid(), "workers": request.app["workers"]})


# ---------------------------------------------------------------------------------------------
# Application


@web.middleware
async def guard(request, handler):
    """401 for a /worker URL without the right key; ApiError to its JSON answer."""
    try:
        if request.path.startswith("/worker"):
            given = request.query.get("authorize_key", "")
            if not hmac.compare_digest(given.encode(), request.app["key"].encode()):
                raise ApiError(401, "missing or wrong authorize_key")
        return await handler(request)
    except ApiError as e:
        return _json(e.status, {"error": str(e)})


async def _init_connection(conn):
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads,
                              schema="pg_catalog")


def make_app(key, pool_size, workers):
    app = web.Application(middlewares=[guard])
    app["key"] = key
    app["workers"] = workers
    both = ("GET", "POST")
    for method in both:
        app.router.add_route(method, "/worker/create", create_worker)
        app.router.add_route(method, r"/worker/{worker_id:\d+}/do_job", do_job)
        app.router.add_route(method, r"/worker/{worker_id:\d+}/job/{job_id:\d+}/redo", redo_job)
    app.router.add_get(r"/worker/{worker_id:\d+}", get_worker)
    app.router.add_get(r"/worker/{worker_id:\d+}/job/{job_id:\d+}", get_job)
    app.router.add_get("/health", health)

    async def open_pool(app):
        app["db"] = await asyncpg.create_pool(dsn=os.environ.get("DATABASE_URL") or None,
                                              min_size=1, max_size=pool_size,
                                              init=_init_connection)

    async def close_pool(app):
        await app["db"].close()

    app.on_startup.append(open_pool)
    app.on_cleanup.append(close_pool)
    return app


async def apply_schema():
    """Creates the tables if they are missing; one server at a time (advisory lock)."""
    with open(os.path.join(HERE, "schema.sql"), encoding="utf-8") as f:
        sql = f.read()
    conn = await asyncpg.connect(dsn=os.environ.get("DATABASE_URL") or None)
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(4004)")
            await conn.execute(sql)
    finally:
        await conn.close()


async def serve(sock, key, pool_size, workers):
    """Serves on the listening socket until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner = web.AppRunner(make_app(key, pool_size, workers), access_log=None)
    await runner.setup()
    # At stop, requests in progress get 2 s to finish (aiohttp's default is 60 s).
    await web.SockSite(runner, sock, shutdown_timeout=2.0).start()
    await stop.wait()
    await runner.cleanup()


def _die_with_parent():
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run_workers(sock, args):
    """Forks args.workers processes that accept on the one socket; returns when all exited."""
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            _die_with_parent()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            asyncio.run(serve(sock, args.authorize_key, args.pool_size, args.workers))
            os._exit(0)
        children.append(pid)

    def forward(signum, frame):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    status = 0
    for child in children:
        _, code = os.waitpid(child, 0)
        status = status or os.waitstatus_to_exitcode(code)
    return 0 if status in (0, -signal.SIGTERM) else 1


def parse_args(argv):
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(env("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(env("JOB_API_WORKERS", "1")),
                        help="server processes sharing the port (default 1)")
    parser.add_argument("--authorize-key", default=env("AUTHORIZE_KEY", SOURCE_KEY),
                        help="the key every /worker URL must carry (default: the source's)")
    parser.add_argument("--pool-size", type=int, default=int(env("JOB_API_POOL_SIZE", "10")),
                        help="database connections per process (default 10)")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.pool_size < 1 or not args.authorize_key:
        parser.error("--workers and --pool-size must be >= 1 and the key not empty")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        asyncio.run(apply_schema())
    except (OSError, asyncpg.PostgresError) as e:
        print(f"job-api: error: cannot prepare the database: {e}", file=sys.stderr)
        return 1
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(1024)
    sock.setblocking(False)
    print(f"job-api: listening on 127.0.0.1:{args.port} with {args.workers} process(es)",
          file=sys.stderr, flush=True)
    if args.workers == 1:
        asyncio.run(serve(sock, args.authorize_key, args.pool_size, 1))
        return 0
    return run_workers(sock, args)


if __name__ == "__main__":
    sys.exit(main())
