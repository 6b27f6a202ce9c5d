#!/usr/bin/python3
"""HTTP front of the dirty pool (source 001): routes each task request to one of N worker
processes through per-worker locks or per-worker queues. See README.md for the endpoints.

Usage: server.py [--port P] [--workers N] [--threads T] [--routing lock|queue] [--timeout S]
Flags default to the environment (PORT, DIRTY_WORKERS, DIRTY_THREADS, DIRTY_ROUTING,
DIRTY_TIMEOUT), then to the source's settings: 4 workers, 1 thread, 300 s.
"""
import argparse
import asyncio
import functools
import json
import os
import signal
import sys

import http11
from pool import ROUTINGS, Pool, WorkerError
from tasks import TaskApp


def _number(text):
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    return int(value) if value.is_integer() and "." not in text else value


def task_call(request):
    """(args, kwargs) of a /task request; raises ValueError for a malformed one.

    GET: ?args=50,50 (comma-separated numbers), any other parameter a numeric keyword
    (?args=100&intensity=2). POST: a JSON body {"args": [...], "kwargs": {...}}.
    """
    if request.method == "POST" and request.body:
        try:
            doc = json.loads(request.body)
        except ValueError as e:
            raise ValueError(f"body is not JSON: {e}") from None
        args, kwargs = doc.get("args", []), doc.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ValueError('body must be {"args": [...], "kwargs": {...}}')
        return args, kwargs
    args = []
    for text in request.query.get("args", []):
        args += [_number(t) for t in text.split(",") if t.strip()]
    kwargs = {k: _number(v[-1]) for k, v in request.query.items() if k != "args"}
    return args, kwargs


def _json(status, doc):
    return status, "application/json", (json.dumps(doc) + "\n").encode()


async def handle(pool, request):
    """Routes one HTTP request: /health, /config, /stats or /task/<action>."""
    if request.path in ("/health", "/config"):
        if request.method != "GET":
            return _json(405, {"error": "use GET"})
        ready = pool.healthy()
        return _json(200 if ready else 503,
                     {"status": "ok" if ready else "degraded", "config": pool.config()})
    if request.path == "/stats":
        return _json(200, {"config": pool.config(), "workers": pool.stats()})
    if not request.path.startswith("/task/"):
        return _json(404, {"error": f"no route {request.path}"})
    action = request.path[len("/task/"):]
    if action not in TaskApp.ACTIONS:
        return _json(404, {"error": f"unknown action {action!r}",
                           "actions": list(TaskApp.ACTIONS)})
    if request.method not in ("GET", "POST"):
        return _json(405, {"error": "use GET or POST"})
    try:
        args, kwargs = task_call(request)
    except ValueError as e:
        return _json(400, {"error": str(e)})
    try:
        worker, reply = await pool.route(action, args, kwargs)
    except WorkerError as e:
        return _json(e.status, {"error": str(e)})
    if "error" in reply:
        return _json(400 if reply.get("kind") == "bad_request" else 500,
                     {"error": reply["error"], "worker": worker.index})
    return _json(200, {"worker": worker.index, "pid": worker.process.pid,
                       "result": reply["result"]})


async def serve(pool, port):
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    await pool.connect()
    connections = set()

    async def on_connection(reader, writer):
        task = asyncio.current_task()
        connections.add(task)
        try:
            await http11.serve_connection(reader, writer, functools.partial(handle, pool),
                                          stopping)
        finally:
            connections.discard(task)

    server = await asyncio.start_server(on_connection, "127.0.0.1", port, backlog=1024)
    print(f"dirty-pool: listening on 127.0.0.1:{port} with {json.dumps(pool.config())}",
          file=sys.stderr, flush=True)
    await stopping.wait()
    server.close()
    for task in list(connections):
        task.cancel()
    await asyncio.gather(*connections, return_exceptions=True)
    await pool.stop()


def parse_args(argv):
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(env("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(env("DIRTY_WORKERS", "4")),
                        help="worker processes (dirty_workers)")
    parser.add_argument("--threads", type=int, default=int(env("DIRTY_THREADS", "1")),
                        help="threads per worker (dirty_threads)")
    parser.add_argument("--routing", choices=ROUTINGS, default=env("DIRTY_ROUTING", "queue"),
                        help="lock: per-worker locks (before ce2e06ce); queue: per-worker "
                             "queues and consumer tasks (after)")
    parser.add_argument("--timeout", type=float, default=float(env("DIRTY_TIMEOUT", "300")),
                        help="seconds a worker may take to answer one task (dirty_timeout)")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.threads < 1 or args.timeout <= 0:
        parser.error("--workers and --threads must be >= 1 and --timeout > 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    pool = Pool(args.workers, args.threads, args.routing, args.timeout)
    pool.start_processes()  # fork before the event loop exists
    try:
        asyncio.run(serve(pool, args.port))
    except OSError as e:
        print(f"dirty-pool: error: {e}", file=sys.stderr)
        for worker in pool.workers:
            worker.process.kill()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
