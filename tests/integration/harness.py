"""Shared helpers for the integration tests of `benchctl load`.

The tests run the real binary (named by the BENCHCTL environment variable, which ctest sets) against
real servers on 127.0.0.1: nginx for exact counts, and the small Python servers of servers.py for
the misbehaviours nginx will not produce (stalls, resets, freezes, malformed responses).

Every process started here is a process-group leader, is told by the kernel to die with its parent
(PR_SET_PDEATHSIG), is stopped by the context manager that started it, and is killed again at
interpreter exit, so a failing or interrupted test leaves nothing listening behind it.
"""

import collections
import ctypes
import hashlib
import json
import os
import re
import atexit
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import typing
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
NGINX = "/usr/sbin/nginx"


# Marks what this test suite starts, for the final check that nothing outlived it
# (check_no_leftovers.py): CTest sets BENCHCTL_TEST_SUITE to the build directory for every test,
# so every process a test starts inherits it; processes that empty their environment (nginx, the
# hidden daemons of fake_target.py) carry SUITE_MARK in their command line instead, through the
# temporary directories and tags made here.
SUITE_MARK = hashlib.sha1(os.environ.get("BENCHCTL_TEST_SUITE", "").encode()).hexdigest()[:10]


def benchctl_path():
    """The binary under test; ctest passes it in BENCHCTL."""
    path = os.environ.get("BENCHCTL")
    if not path:
        raise RuntimeError(
            "BENCHCTL is not set; run through ctest, or "
            "BENCHCTL=/path/to/build/benchctl python3 -m unittest -v test_<name>")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"BENCHCTL={path} is not an executable file")
    return path


# ---------------------------------------------------------------------------------------------
# Processes: started in their own group, killed with the test even when it fails.

_live_groups = set()


def _die_with_parent():
    # Runs in the child between fork and exec: the kernel sends SIGKILL to the child when the test
    # process dies, even by SIGKILL (ctest's timeout), when no finally block gets to run.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def spawn(argv, **kwargs):
    """Starts argv as the leader of a new process group that dies with this process."""
    proc = subprocess.Popen(argv, start_new_session=True, preexec_fn=_die_with_parent, **kwargs)
    _live_groups.add(proc.pid)
    return proc


def kill_group(proc, first_signal=signal.SIGTERM, grace_sec=5.0):
    """Sends first_signal to proc's group, waits up to grace_sec, then SIGKILLs the group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, first_signal)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace_sec)
        except subprocess.TimeoutExpired:
            pass
    # Children of the leader (nginx's worker) may outlive it; the group still names them.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=grace_sec)
    except subprocess.TimeoutExpired:
        pass
    _live_groups.discard(proc.pid)


@atexit.register
def _kill_leftovers():
    for pgid in list(_live_groups):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _exit_on_sigterm(signum, frame):
    # Turns SIGTERM into SystemExit so the finally blocks and the atexit hook still run.
    sys.exit(128 + signum)


signal.signal(signal.SIGTERM, _exit_on_sigterm)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_accepting(port, proc, deadline_sec=10.0):
    """Returns once 127.0.0.1:port accepts a connection; raises if proc exits or time runs out."""
    deadline = time.monotonic() + deadline_sec
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before accepting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing accepted on 127.0.0.1:{port} within {deadline_sec}s")


# ---------------------------------------------------------------------------------------------
# benchctl load

class LoadRun(typing.NamedTuple):
    returncode: int
    stdout: str
    stderr: str
    doc: typing.Optional[dict]  # the --json document, None when none was written

    def describe(self):
        """The run's output, for assertion messages."""
        return (f"\n--- exit status {self.returncode}\n--- stdout:\n{self.stdout}"
                f"\n--- stderr:\n{self.stderr}")


def run_load(args, timeout=60):
    """Runs `benchctl load ARGS --json FILE` and returns (returncode, stdout, stderr, doc).

    The --json file lives in a temporary directory; doc is its parsed content, or None when the
    run wrote none (bad input). When args already hold --json, none is added and doc is None.
    Raises AssertionError, with the output so far, when the run outlives `timeout` seconds.
    """
    with tempfile.TemporaryDirectory(prefix=f"benchctl-load-{SUITE_MARK}-") as tmp:
        json_path = os.path.join(tmp, "result.json")
        argv = [benchctl_path(), "load", *args]
        if "--json" not in args:
            argv += ["--json", json_path]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise AssertionError(
                f"{' '.join(argv)} still running after {timeout}s\n--- stdout:\n{e.stdout}"
                f"\n--- stderr:\n{e.stderr}") from None
        doc = None
        if os.path.exists(json_path) and os.path.getsize(json_path) > 0:
            with open(json_path, encoding="utf-8") as f:
                text = f.read()
            try:
                doc = json.loads(text)
            except ValueError as e:
                raise AssertionError(f"--json wrote invalid JSON ({e}):\n{text[:2000]}") from None
        return LoadRun(proc.returncode, proc.stdout, proc.stderr, doc)


def find_line(text, pattern):
    """The first match of `pattern` (a regex matched against whole lines), or None."""
    regex = re.compile(pattern)
    for line in text.splitlines():
        m = regex.fullmatch(line)
        if m:
            return m
    return None


# ---------------------------------------------------------------------------------------------
# nginx

_NGINX_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    # One line per request, written at once (no buffer= parameter): status first.
    log_format bench '$status $request_method $request_length $content_length $http_host '
                     '"$http_x_bench"';
    access_log {dir}/access.log bench;
    keepalive_timeout {keepalive_timeout};
    server {{
        listen 127.0.0.1:{port};
        default_type text/plain;
        location / {{ return 200 "hello\\n"; }}
        location = /missing {{ return 404; }}
        location = /busy {{ return 503; }}
        location = /empty {{ return 204; }}
        location = /big {{ root {dir}/www; }}
        # `return` discards a request body unread, so $request_length would not count it; proxying
        # makes nginx read the whole body first. The sink's own line is not logged.
        location = /upload {{ proxy_pass http://127.0.0.1:{port}/sink; }}
        location = /sink {{ access_log off; return 200 "ok\\n"; }}
    }}
}}
"""

# The body of /big: larger than any socket buffer, so every response spans many reads.
BIG_BODY = bytes(range(256)) * 4096  # 1 MiB

AccessLogLine = collections.namedtuple(
    "AccessLogLine", "status method request_length content_length host x_bench")


class Nginx:
    """A private nginx on 127.0.0.1 with one worker, for a `with` block.

    Locations: / (200 "hello\\n"), /missing (404), /busy (503), /empty (204, no body), /big
    (a static 1 MiB file, BIG_BODY), /upload (reads and forwards the body).
    keepalive=False makes nginx close the connection after every response; keepalive_timeout is
    how long nginx keeps an idle connection open (nginx syntax: "300ms", "65s").
    """

    def __init__(self, keepalive=True, keepalive_timeout="65s"):
        self.keepalive_timeout = keepalive_timeout if keepalive else "0"
        self.port = None
        self.dir = None
        self.proc = None

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix=f"benchctl-nginx-{SUITE_MARK}-")
        # nginx started as root runs its worker as nobody, which must reach the temp paths.
        os.chmod(self.dir, 0o755)
        os.mkdir(os.path.join(self.dir, "tmp"))
        os.mkdir(os.path.join(self.dir, "www"))
        with open(os.path.join(self.dir, "www", "big"), "wb") as f:
            f.write(BIG_BODY)
        os.chmod(os.path.join(self.dir, "www", "big"), 0o644)
        try:
            self._start_with_retries()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_with_retries(self):
        # free_port() can race with another process taking the port; try a few.
        last_error = None
        for _ in range(3):
            self.port = free_port()
            with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
                f.write(_NGINX_CONF.format(dir=self.dir, port=self.port,
                                           keepalive_timeout=self.keepalive_timeout))
            stderr = open(os.path.join(self.dir, "stderr.log"), "ab")
            self.proc = spawn([NGINX, "-p", self.dir, "-c", "nginx.conf", "-g", "daemon off;"],
                              stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
            stderr.close()
            try:
                wait_until_accepting(self.port, self.proc)
                return
            except RuntimeError as e:
                last_error = f"{e}\n{self._logs()}"
                kill_group(self.proc)
        raise RuntimeError(f"nginx did not start: {last_error}")

    def _logs(self):
        out = []
        for name in ("stderr.log", "error.log"):
            path = os.path.join(self.dir, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    out.append(f"--- {name}:\n{f.read()[-3000:]}")
        return "\n".join(out)

    def __exit__(self, *exc):
        if self.proc is not None:
            kill_group(self.proc, first_signal=signal.SIGQUIT)
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def access_log(self):
        """Every access-log line so far, parsed."""
        path = os.path.join(self.dir, "access.log")
        if not os.path.exists(path):
            return []
        lines = []
        with open(path) as f:
            for raw in f:
                status, method, request_length, content_length, host, x_bench = raw.split(" ", 5)
                lines.append(AccessLogLine(int(status), method, int(request_length),
                                           None if content_length == "-" else int(content_length),
                                           host, x_bench.strip().strip('"')))
        return lines

    def status_counts(self):
        """Access-log lines so far, counted by status: Counter({200: n, ...})."""
        return collections.Counter(line.status for line in self.access_log())

    def settled_request_count(self, at_least=0, deadline_sec=5.0, quiet_sec=0.3):
        """The number of access-log lines once it stops growing.

        nginx logs a request when it has finished it, which can be just after the client exits
        (a request in flight when a duration run stopped). Waits until there are at least
        `at_least` lines, then until none has been added for quiet_sec, deadline_sec at most.
        """
        deadline = time.monotonic() + deadline_sec
        count = len(self.access_log())
        last_change = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now_count = len(self.access_log())
            if now_count != count:
                count, last_change = now_count, time.monotonic()
            elif count >= at_least and time.monotonic() - last_change >= quiet_sec:
                break
        return count


# ---------------------------------------------------------------------------------------------
# Python test servers (servers.py)

class TestServer:
    """One of the servers of servers.py, run as its own process, for a `with` block.

    kind: stall, reset, freeze, chunked, close, malformed, early or double; options are passed through
    (e.g. "--period-ms", "1000"). The server picks its port; .port and .url() give it.
    """

    def __init__(self, kind, *options):
        self.kind = kind
        self.options = [str(o) for o in options]
        self.dir = None
        self.proc = None
        self.port = None

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix=f"benchctl-{self.kind}-{SUITE_MARK}-")
        self.log_path = os.path.join(self.dir, "events.log")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        try:
            with open(self.stderr_path, "wb") as stderr:
                self.proc = spawn([PYTHON, os.path.join(HERE, "servers.py"), self.kind, "0",
                                   "--log", self.log_path, *self.options],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=stderr)
            self.port = self._read_ready_line()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _read_ready_line(self, deadline_sec=10.0):
        import select
        ready, _, _ = select.select([self.proc.stdout], [], [], deadline_sec)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("ready "):
            with open(self.stderr_path, errors="replace") as f:
                raise RuntimeError(f"servers.py {self.kind} did not start: {line!r}\n{f.read()}")
        return int(line.split()[1])

    def __exit__(self, *exc):
        if self.proc is not None:
            kill_group(self.proc)
            self.proc.stdout.close()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def events(self, name):
        """The logged events called `name`, each as a list of its fields (strings)."""
        out = []
        with open(self.log_path) as f:
            for line in f:
                fields = line.split()
                if fields and fields[0] == name:
                    out.append(fields[1:])
        return out

    def request_count(self):
        """Complete requests the server has read so far."""
        return len(self.events("request"))

    def settled_request_count(self, at_least=0, deadline_sec=3.0):
        """request_count() once it reaches at_least (or deadline_sec passes): the last bytes a
        client wrote before it exited may still be on their way to the server."""
        deadline = time.monotonic() + deadline_sec
        while self.request_count() < at_least and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)
        return self.request_count()


# ---------------------------------------------------------------------------------------------
# Assertions shared by the tests

ERROR_KINDS = ("connect", "read", "write", "timeout", "parse", "check")


class LoadTestCase(unittest.TestCase):
    maxDiff = None

    def assertRan(self, run):
        """The run happened (exit 0) and wrote its JSON document."""
        self.assertEqual(run.returncode, 0, "benchctl load did not exit 0" + run.describe())
        self.assertIsNotNone(run.doc, "benchctl load wrote no --json document" + run.describe())
        self.assertEqual(run.doc.get("schema"), "benchctl.load/2", run.describe())

    def assertAccounting(self, doc):
        """started == completed + failed + in_flight_at_stop, failed == the sum of the errors."""
        r = doc["requests"]
        self.assertEqual(r["started"], r["completed"] + r["failed"] + r["in_flight_at_stop"],
                         f"requests do not add up: {r}")
        self.assertEqual(r["failed"], sum(doc["errors"].get(k, 0) for k in ERROR_KINDS),
                         f"failed != sum of errors: {r} {doc['errors']}")

    def assertErrors(self, doc, **expected):
        """Every error class is 0 except those given, which must equal their value."""
        want = {k: expected.get(k, 0) for k in ERROR_KINDS}
        self.assertEqual({k: doc["errors"].get(k, 0) for k in ERROR_KINDS}, want)
