#!/usr/bin/python3
"""The four HTTP servers of source 002 ("Benchmarks of running a long-term process within an
HTTP server"), each answering GET / after a long task made of three blocking steps (a user's
save, send_email and social_api calls):

  sync     (1_sync.py)                  single-threaded socketserver HTTP server; the task runs
                                        in the request, one request at a time
  async    (2_async.py)                 Tornado; the task's blocking steps run on the I/O loop
  thread   (3_async_threadexecutor.py)  Tornado; the task runs on a ThreadPoolExecutor and the
                                        handler awaits it
  process  (4_async_processexecutor.py) Tornado; the task is submitted to a ProcessPoolExecutor
                                        and the handler answers at once without waiting for it

Usage: server.py --server sync|async|thread|process [--port P] [--steps-ms A,B,C] [--pool-size N]
The source's file names (1_sync ... 4_async_processexecutor) are accepted as --server values.
See README.md for the timings and where they come from.
"""
import argparse
import concurrent.futures
import ctypes
import datetime
import http.server
import os
import signal
import socketserver
import sys
import time

SERVERS = {"sync": "1_sync", "async": "2_async", "thread": "3_async_threadexecutor",
           "process": "4_async_processexecutor"}
# The source's steps, in seconds: the sync server's task is ten times the others' (2.8 s vs
# 0.28 s), as in the source; --steps-ms changes either.
DEFAULT_STEPS_MS = {"sync": (200, 600, 2000)}
ASYNC_STEPS_MS = (20, 60, 200)
DEFAULT_POOL_SIZE = 4  # the source's MAX_WORKERS


class User:
    """The long task's three blocking steps; `steps` are their durations in seconds."""

    def __init__(self, steps):
        self.steps = steps

    def save(self):
        time.sleep(self.steps[0])
        return datetime.datetime.utcnow()

    def send_email(self):
        time.sleep(self.steps[1])
        return datetime.datetime.utcnow()

    def social_api(self):
        time.sleep(self.steps[2])
        return datetime.datetime.utcnow()


def background_task(steps):
    """The whole task, as one call (servers thread and process)."""
    user = User(steps)
    user.save()
    user.send_email()
    user.social_api()


# ---------------------------------------------------------------------------------------------
# 1_sync: socketserver.TCPServer + a BaseHTTPRequestHandler, as in the source (Python 2's
# SocketServer/SimpleHTTPServer): one thread, HTTP/1.0, the connection closed after each answer,
# and the default listen backlog of 5.


def _exit_now(signum, frame):
    # A Python signal handler runs in the main thread even while it sits in a task's
    # time.sleep, so this exits at once in every server; a loop.stop() callback would wait for
    # the blocked loop of server async, request after request. Nothing is left to flush but
    # stderr; the process pool's processes die with this one (PR_SET_PDEATHSIG) and its queued
    # fire-and-forget tasks are dropped.
    sys.stderr.flush()
    os._exit(0)


def run_sync(port, steps):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/health":
                background_task(steps)
            self.send_response(200, "ok")
            self.end_headers()

    class Server(socketserver.TCPServer):
        allow_reuse_address = True

    signal.signal(signal.SIGTERM, _exit_now)
    signal.signal(signal.SIGINT, _exit_now)
    with Server(("127.0.0.1", port), Handler) as httpd:
        print(f"tornado-longtask: sync server on 127.0.0.1:{port}", file=sys.stderr, flush=True)
        httpd.serve_forever()


# ---------------------------------------------------------------------------------------------
# 2, 3, 4: Tornado 6 (the source ran Tornado 4.4 on Python 2; see README.md for the port).


def make_tornado_app(kind, steps, pool_size):
    import tornado.concurrent
    import tornado.web

    class HealthHandler(tornado.web.RequestHandler):
        def get(self):
            self.finish()

    class AsyncUser(User):
        # Tornado 4's @return_future ran the body at once, time.sleep included, and resolved a
        # future: coroutines that block the loop the same way.
        async def save(self):
            return User.save(self)

        async def send_email(self):
            return User.send_email(self)

        async def social_api(self):
            return User.social_api(self)

    class LoopHandler(tornado.web.RequestHandler):
        async def get(self):
            user = AsyncUser(steps)
            await user.save()
            await user.send_email()
            await user.social_api()
            self.finish()

    class ThreadHandler(tornado.web.RequestHandler):
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=pool_size)

        @tornado.concurrent.run_on_executor
        def background_task(self):
            background_task(steps)

        async def get(self):
            await self.background_task()
            self.finish()

    class ProcessHandler(tornado.web.RequestHandler):
        executor = None  # set by run_tornado before the server listens

        def get(self):
            ProcessHandler.executor.submit(background_task, steps)  # fire and forget
            self.finish()

    handler = {"async": LoopHandler, "thread": ThreadHandler, "process": ProcessHandler}[kind]
    app = tornado.web.Application([(r"/health", HealthHandler), (r"/", handler)])
    return app, handler


def _die_with_parent():
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_process_pool(pool_size):
    """The pool of server 4, its processes all started (and told to die with this process)
    before the server listens, so that none inherits the listening socket."""
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=pool_size,
                                                      initializer=_die_with_parent)
    # Each submit starts a process while none is idle; tasks that overlap start them all.
    list(executor.map(time.sleep, [0.2] * pool_size))
    return executor


def run_tornado(kind, port, steps, pool_size):
    import tornado.httpserver
    import tornado.ioloop

    app, handler = make_tornado_app(kind, steps, pool_size)
    if kind == "process":
        handler.executor = start_process_pool(pool_size)
    server = tornado.httpserver.HTTPServer(app)
    server.listen(port, address="127.0.0.1")
    signal.signal(signal.SIGTERM, _exit_now)
    signal.signal(signal.SIGINT, _exit_now)
    print(f"tornado-longtask: {SERVERS[kind]} server on 127.0.0.1:{port}", file=sys.stderr,
          flush=True)
    tornado.ioloop.IOLoop.current().start()

def parse_args(argv):
    env = os.environ.get
    names = {**{k: k for k in SERVERS}, **{v: k for k, v in SERVERS.items()}}
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, choices=sorted(names))
    parser.add_argument("--port", type=int, default=int(env("PORT", "8000")))
    parser.add_argument("--steps-ms", default=env("TASK_STEPS_MS"),
                        help="durations of save, send_email, social_api in ms "
                             "(default 200,600,2000 for sync, 20,60,200 for the others)")
    parser.add_argument("--pool-size", type=int,
                        default=int(env("POOL_SIZE", str(DEFAULT_POOL_SIZE))),
                        help="executor workers of servers thread and process (default 4)")
    args = parser.parse_args(argv)
    args.server = names[args.server]
    if args.steps_ms:
        try:
            ms = tuple(float(v) for v in args.steps_ms.split(","))
        except ValueError:
            parser.error(f"--steps-ms: {args.steps_ms!r} is not three numbers")
        if len(ms) != 3 or min(ms) < 0:
            parser.error("--steps-ms takes three durations >= 0 in ms, e.g. 20,60,200")
    else:
        ms = DEFAULT_STEPS_MS.get(args.server, ASYNC_STEPS_MS)
    args.steps = tuple(v / 1000.0 for v in ms)
    if args.pool_size < 1:
        parser.error("--pool-size must be >= 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.server == "sync":
        run_sync(args.port, args.steps)
    else:
        run_tornado(args.server, args.port, args.steps, args.pool_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
