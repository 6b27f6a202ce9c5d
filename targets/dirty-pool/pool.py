"""The dirty pool: N worker processes with T threads each, and the two routing designs of
gunicorn commit ce2e06ce ("refactor(dirty): replace per-worker locks with queues").

Every request goes to the next worker in round-robin order, and each worker has one connection
(a socketpair) on which at most one request is in flight, as in gunicorn's dirty arbiter:

- routing "lock" (before the commit): the request's coroutine takes that worker's asyncio.Lock,
  writes the request, reads the answer and releases the lock;
- routing "queue" (after the commit): the request's coroutine puts (request, future) on that
  worker's asyncio.Queue and awaits the future; one consumer task per worker takes requests off
  the queue one at a time, talks to the worker and resolves the future.

Messages are a 4-byte big-endian length and a UTF-8 JSON object, as in gunicorn's protocol.
Inside a worker, each request runs on a ThreadPoolExecutor of T threads (dirty_threads); since
the front keeps one request in flight per worker, as gunicorn did, T > 1 adds no concurrency.
"""
import asyncio
import ctypes
import itertools
import json
import multiprocessing
import signal
import socket
import struct
import time
from concurrent.futures import ThreadPoolExecutor

from tasks import TaskApp, TaskError

ROUTINGS = ("lock", "queue")
_HEADER = struct.Struct("!I")
_MAX_MESSAGE = 16 * 1024 * 1024


class WorkerError(Exception):
    """The worker did not answer: it died (status 502) or timed out (status 504)."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


async def read_message(reader):
    """One framed JSON message; raises asyncio.IncompleteReadError at EOF."""
    (length,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    if length > _MAX_MESSAGE:
        raise ValueError(f"message of {length} bytes is over the {_MAX_MESSAGE} limit")
    return json.loads(await reader.readexactly(length))


def write_message(writer, message):
    payload = json.dumps(message).encode()
    writer.write(_HEADER.pack(len(payload)) + payload)


# ---------------------------------------------------------------------------------------------
# The worker process


def _die_with_parent():
    # A worker must not outlive the front even when the front is SIGKILLed.
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def worker_main(sock, threads):
    """Entry point of a worker process: serves requests from `sock` until EOF or SIGTERM."""
    _die_with_parent()
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="dirty-thread")
    try:
        asyncio.run(_worker_loop(sock, executor, TaskApp()))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


async def _worker_loop(sock, executor, app):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    reader, writer = await asyncio.open_connection(sock=sock)
    serving = asyncio.create_task(_serve_front(reader, writer, executor, app))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    serving.cancel()
    stopping.cancel()
    writer.close()


async def _serve_front(reader, writer, executor, app):
    # Sequential on the one connection, like gunicorn's DirtyWorker.handle_connection.
    loop = asyncio.get_running_loop()
    while True:
        try:
            request = await read_message(reader)
        except asyncio.IncompleteReadError:
            return  # the front closed its end: shut down
        reply = {"id": request.get("id")}
        try:
            reply["result"] = await loop.run_in_executor(
                executor, app.call, request["action"], request.get("args", []),
                request.get("kwargs", {}))
        except TaskError as e:
            reply["error"], reply["kind"] = str(e), "bad_request"
        except Exception as e:  # an action failed: report it, keep serving
            reply["error"], reply["kind"] = f"{type(e).__name__}: {e}", "app_error"
        write_message(writer, reply)
        await writer.drain()


# ---------------------------------------------------------------------------------------------
# The front's side


class _Worker:
    """The front's handle on one worker process."""

    def __init__(self, index, process, sock):
        self.index = index
        self.process = process
        self.sock = sock
        self.reader = None
        self.writer = None
        self.lock = asyncio.Lock()      # routing "lock"
        self.queue = asyncio.Queue()    # routing "queue"
        self.consumer = None
        self.routed = 0       # requests sent to this worker by round-robin
        self.completed = 0    # answers read back
        self.in_flight = 0    # 0 or 1: a request written and not yet answered
        self.lock_waiters = 0  # routing "lock": coroutines waiting for the lock
        self.dead = False

    def backlog(self):
        """Requests routed here and not yet sent (waiting on the lock or in the queue)."""
        return self.lock_waiters + self.queue.qsize()


class Pool:
    """N worker processes behind one of the two routing designs; see the module docstring."""

    def __init__(self, workers, threads, routing, timeout_sec):
        if routing not in ROUTINGS:
            raise ValueError(f"routing must be one of {ROUTINGS}, got {routing!r}")
        self.workers_wanted = workers
        self.threads = threads
        self.routing = routing
        self.timeout_sec = timeout_sec
        self.workers = []
        self._rr = itertools.cycle(range(workers))
        self._ids = itertools.count(1)

    def start_processes(self):
        """Forks the worker processes; call before any event loop runs in this process."""
        context = multiprocessing.get_context("fork")
        for index in range(self.workers_wanted):
            ours, theirs = socket.socketpair()
            process = context.Process(target=worker_main, args=(theirs, self.threads),
                                      name=f"dirty-worker-{index}")
            process.start()
            theirs.close()
            self.workers.append(_Worker(index, process, ours))

    async def connect(self):
        """Opens the streams to every worker and, for routing "queue", starts the consumers."""
        for worker in self.workers:
            worker.reader, worker.writer = await asyncio.open_connection(sock=worker.sock)
            if self.routing == "queue":
                worker.consumer = asyncio.create_task(self._consume(worker))

    def healthy(self):
        """True while every worker process is alive and answering."""
        return bool(self.workers) and all(w.process.is_alive() and not w.dead
                                          for w in self.workers)

    async def route(self, action, args, kwargs):
        """Runs one task on the next worker; returns (worker, reply dict).

        The reply holds "result", or "error" and "kind" (bad_request, app_error). Raises
        WorkerError when the worker is dead or does not answer within timeout_sec.
        """
        worker = self.workers[next(self._rr)]
        worker.routed += 1
        request = {"id": next(self._ids), "action": action, "args": args, "kwargs": kwargs}
        if self.routing == "lock":
            worker.lock_waiters += 1
            try:
                await worker.lock.acquire()
            finally:
                worker.lock_waiters -= 1
            try:
                return worker, await self._execute(worker, request)
            finally:
                worker.lock.release()
        future = asyncio.get_running_loop().create_future()
        await worker.queue.put((request, future))
        return worker, await future

    async def _consume(self, worker):
        while True:
            request, future = await worker.queue.get()
            try:
                reply = await self._execute(worker, request)
                if not future.done():
                    future.set_result(reply)
            except Exception as e:
                if not future.done():
                    future.set_exception(e)
            finally:
                worker.queue.task_done()

    async def _execute(self, worker, request):
        if worker.dead:
            raise WorkerError(f"dirty worker {worker.index} is gone", 502)
        worker.in_flight = 1
        try:
            write_message(worker.writer, request)
            await worker.writer.drain()
            return await asyncio.wait_for(self._read_reply(worker, request["id"]),
                                          timeout=self.timeout_sec)
        except asyncio.TimeoutError:
            raise WorkerError(f"dirty worker {worker.index} did not answer within "
                              f"{self.timeout_sec:g}s", 504) from None
        except (asyncio.IncompleteReadError, ConnectionError, ValueError) as e:
            worker.dead = True
            raise WorkerError(f"dirty worker {worker.index} failed: {e!r}", 502) from None
        finally:
            worker.in_flight = 0

    async def _read_reply(self, worker, request_id):
        # After a timeout the late answer of the abandoned request arrives first: skip it.
        while True:
            reply = await read_message(worker.reader)
            if reply.get("id") == request_id:
                worker.completed += 1
                return reply

    def config(self):
        """The pool's settings, with the source's key names where it has them."""
        return {"dirty_workers": self.workers_wanted, "dirty_threads": self.threads,
                "routing": self.routing, "timeout_sec": self.timeout_sec}

    def stats(self):
        """Per-worker counters: routed, completed, in flight, waiting, alive."""
        return [{"index": w.index, "pid": w.process.pid, "alive": w.process.is_alive(),
                 "routed": w.routed, "completed": w.completed, "in_flight": w.in_flight,
                 "backlog": w.backlog()} for w in self.workers]

    async def stop(self, grace_sec=5.0):
        """Cancels the consumers, closes the workers' connections (they exit at EOF) and
        reaps the processes, SIGKILLing any still alive after grace_sec."""
        consumers = [w.consumer for w in self.workers if w.consumer is not None]
        for task in consumers:
            task.cancel()
        await asyncio.gather(*consumers, return_exceptions=True)
        for worker in self.workers:
            if worker.writer is not None:
                worker.writer.close()
            else:
                worker.sock.close()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._reap, grace_sec)

    def _reap(self, grace_sec):
        deadline = time.monotonic() + grace_sec
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1.0)
