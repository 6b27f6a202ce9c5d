"""Helpers for the integration tests of the applications under test in targets/ (test_targets_*).

PrivatePostgres starts a throwaway PostgreSQL server (initdb in a temporary directory, the
postmaster in the foreground on a free port of 127.0.0.1) as an unprivileged user when the tests
run as root, since initdb and postgres refuse root. Target starts a target's command and waits
for its readiness URL. Both are process-group leaders that die with the test process
(PR_SET_PDEATHSIG, set after any change of user, since a uid change clears it) and are stopped
by their context manager even when a test fails.
"""

import atexit
import ctypes
import glob
import http.client
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import free_port, kill_group

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TARGETS = os.path.join(REPO, "targets")
PYTHON = "/usr/bin/python3"

_live = set()


@atexit.register
def _kill_leftovers():
    for pgid in list(_live):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _preexec(user):
    def run():
        if user is not None:
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, after the uid change
    return run


def spawn(argv, user=None, **kwargs):
    """Starts argv (as `user`, a pwd entry, when given) as a new process group's leader."""
    proc = subprocess.Popen(argv, start_new_session=True, preexec_fn=_preexec(user), **kwargs)
    _live.add(proc.pid)
    return proc


def stop(proc, first_signal=signal.SIGTERM, grace_sec=10.0):
    """Signals proc's group, waits up to grace_sec, SIGKILLs what is left; returns proc's exit
    status and the seconds it took to exit after the first signal."""
    started = time.monotonic()
    kill_group(proc, first_signal=first_signal, grace_sec=grace_sec)
    _live.discard(proc.pid)
    return proc.returncode, time.monotonic() - started


def group_members(pgid):
    """PIDs of live (non-zombie) processes in process group pgid."""
    return [pid for pid, stat in _proc_stats() if int(stat[2]) == pgid]


def descendants(pid):
    """PIDs of the live processes below pid (children, grandchildren ...), whatever their group:
    PM2 starts fork-mode apps in a session of their own."""
    children = {}
    for child, stat in _proc_stats():
        children.setdefault(int(stat[1]), []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pids):
    """The pids of `pids` that are still running (not zombies)."""
    live = {pid for pid, _ in _proc_stats()}
    return [pid for pid in pids if pid in live]


def _proc_stats():
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in ("Z", "X"):
            yield int(name), fields  # fields[1] ppid, fields[2] pgrp


def request(method, url, body=None, headers=None, timeout=30.0):
    """(status, parsed JSON or raw bytes) of one request; never raises on a 4xx/5xx."""
    assert url.startswith("http://127.0.0.1:")
    host_port, _, path = url[len("http://"):].partition("/")
    host, port = host_port.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        if isinstance(body, str):
            body = body.encode()
        conn.request(method, "/" + path, body=body, headers=headers or {})
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, raw


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def _postgres_bin_dir():
    for candidate in [os.path.dirname(shutil.which("initdb") or "")] + sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if candidate and all(os.access(os.path.join(candidate, tool), os.X_OK)
                             for tool in ("initdb", "postgres")):
            return candidate
    return None


class PrivatePostgres:
    """A throwaway PostgreSQL on 127.0.0.1 for a `with` block: superuser `postgres`, trust
    authentication, fsync off. Raises unittest.SkipTest when the server binaries are missing."""

    def __init__(self, databases=()):
        self.databases = list(databases)
        self.bin_dir = _postgres_bin_dir()
        self.dir = None
        self.proc = None
        self.port = None

    def __enter__(self):
        if self.bin_dir is None or shutil.which("psql") is None:
            raise unittest.SkipTest("PostgreSQL binaries (initdb, postgres, psql) not found: "
                                    "install Debian's postgresql (scripts/install-deps.sh)")
        # initdb and postgres refuse to run as root: run them as nobody then.
        self.user = pwd.getpwnam("nobody") if os.getuid() == 0 else None
        self.dir = tempfile.mkdtemp(prefix="benchctl-pg-")
        try:
            if self.user is not None:
                os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
            self._initdb()
            self._start()
            for name in self.databases:
                self.psql("postgres", f'CREATE DATABASE "{name}"')
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _initdb(self):
        result = subprocess.run(
            [os.path.join(self.bin_dir, "initdb"), "-D", os.path.join(self.dir, "data"),
             "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
            preexec_fn=_preexec(self.user), capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def _start(self):
        self.port = free_port()
        log = open(os.path.join(self.dir, "postgres.log"), "ab")
        self.proc = spawn([os.path.join(self.bin_dir, "postgres"), "-D",
                           os.path.join(self.dir, "data"), "-p", str(self.port), "-k", self.dir,
                           "-h", "127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                           "-c", "full_page_writes=off"],
                          user=self.user, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.proc.returncode}:\n{self.log()}")
            probe = subprocess.run(["psql", *self._conn_args("postgres"), "-c", "SELECT 1"],
                                   capture_output=True, timeout=10)
            if probe.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"postgres not ready within 20 s:\n{self.log()}")

    def _conn_args(self, db):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db,
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]

    def log(self):
        try:
            with open(os.path.join(self.dir, "postgres.log"), errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def url(self, db):
        """The libpq URL of database db."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def env(self, db):
        """The PG* variables for database db (the other way targets take their database)."""
        return {"PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGUSER": "postgres",
                "PGDATABASE": db}

    def psql(self, db, sql):
        """Runs sql in db; returns psql's unaligned output, stripped. Raises on an SQL error."""
        result = subprocess.run(["psql", *self._conn_args(db), "-c", sql], capture_output=True,
                                text=True, timeout=30)
        if result.returncode != 0:
            raise AssertionError(f"psql {sql!r} failed: {result.stderr}")
        return result.stdout.strip()

    def __exit__(self, *exc):
        if self.proc is not None:
            stop(self.proc, first_signal=signal.SIGINT)  # fast shutdown
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False


# ---------------------------------------------------------------------------------------------
# Targets


class Target:
    """One target process for a `with` block: argv run in cwd with extra env, on a free port
    (argv and env may use the placeholder {port}), ready once GET ready_path answers 200."""

    def __init__(self, argv, cwd, env=None, ready_path="/health", ready_sec=30.0):
        self.port = free_port()
        self.argv = [a.format(port=self.port) for a in argv]
        self.cwd = cwd
        self.env = {**os.environ, **{k: v.format(port=self.port) for k, v in (env or {}).items()}}
        self.ready_path = ready_path
        self.ready_sec = ready_sec
        self.proc = None
        self.dir = None
        self.returncode = None
        self.stop_sec = None

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="benchctl-target-")
        self.log_path = os.path.join(self.dir, "target.log")
        try:
            with open(self.log_path, "wb") as log:
                self.proc = spawn(self.argv, cwd=self.cwd, env=self.env,
                                  stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.ready_sec
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.argv} exited with {self.proc.returncode} before "
                                   f"it was ready:\n{self.log()}")
            try:
                if request("GET", self.url(self.ready_path), timeout=2.0)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.argv} not ready within {self.ready_sec}s:\n{self.log()}")

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, **kwargs):
        return request("GET", self.url(path), **kwargs)

    def post(self, path, body=None, headers=None, **kwargs):
        return request("POST", self.url(path), body=body, headers=headers, **kwargs)

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-4000:]
        except (OSError, AttributeError):
            return ""

    def terminate(self, first_signal=signal.SIGTERM, grace_sec=10.0):
        """Sends first_signal to the target's group and waits up to grace_sec for its leader,
        without killing anything else: records returncode (None if still running) and
        stop_sec, so that a test can look for leftovers before __exit__ sweeps them."""
        if self.proc is None or self.returncode is not None:
            return self.returncode
        started = time.monotonic()
        try:
            os.killpg(self.proc.pid, first_signal)
        except ProcessLookupError:
            pass
        try:
            self.returncode = self.proc.wait(timeout=grace_sec)
        except subprocess.TimeoutExpired:
            pass
        self.stop_sec = time.monotonic() - started
        return self.returncode

    def __exit__(self, *exc):
        if self.proc is not None:
            self.terminate()
            stop(self.proc, grace_sec=1.0)  # SIGKILLs whatever of the group is left
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False


class TargetTestCase(unittest.TestCase):
    maxDiff = None

    def assertStopsCleanly(self, target, within_sec=8.0, extra_pids=()):
        """SIGTERM to the target's group: its leader exits with status 0 (or by the signal)
        within within_sec, and within 5 s more nothing of its group, nor any of extra_pids
        (processes that left the group), is running. Leftovers are killed afterwards."""
        pgid = target.proc.pid
        try:
            target.terminate(grace_sec=within_sec)
            self.assertIsNotNone(target.returncode,
                                 f"still running {within_sec}s after SIGTERM\n{target.log()}")
            self.assertIn(target.returncode, (0, -signal.SIGTERM), target.log())
            deadline = time.monotonic() + 5.0
            while (group_members(pgid) or alive(extra_pids)) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(group_members(pgid), [], "processes left in the target's group")
            self.assertEqual(alive(extra_pids), [], "processes of the target left running")
        finally:
            for pid in alive(extra_pids):
                os.kill(pid, signal.SIGKILL)
