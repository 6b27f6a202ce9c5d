"""Services of a known kind, started by benchctl itself from one matrix line: a real PostgreSQL
(initdb, as an unprivileged user when the test runs as root), redis and nginx. A target reaches
the database through ${db.url} with psycopg2 and redis through ${cache.url}, the load goes
through the nginx service to the target's Unix socket; each service's CPU and memory are sampled
apart from the target's; versions land in the manifest; data is removed unless kept. SIGINT while
the services start and during a cell, and a service that cannot start, leave no postmaster,
redis-server or nginx behind. Skipped where the servers are not installed
(scripts/install-deps.sh installs them)."""

import json
import os
import re
import shutil
import signal
import subprocess
import time
import unittest

from harness import HERE, PYTHON, benchctl_path
from run_harness import RunTestCase, load_json

APP = os.path.join(HERE, "service_kinds_app.py")

MATRIX = """\
name: service-kinds
services:
  db:
    kind: postgres
    databases: [tasks]
    settings: {fsync: "off", synchronous_commit: "off", max_connections: 30}
  cache: {kind: redis, keep_data: true}
  proxy: {kind: nginx, upstream: "unix:${run_dir}/app.sock", settings: {worker_processes: 1}}
axes:
  mode: [rows]
target:
  command: ["@PYTHON@", "@APP@", "${run_dir}/app.sock", "${db.url}", "${cache.url}"]
  ready: {log: "^listening", timeout: 20s}
load:
  url: "${proxy.url}/count"
  threads: 1
  connections: 2
  duration: @DURATION@
"""

SERVERS = {
    "postgres": ["initdb", "postgres"],
    "redis": ["redis-server"],
    "nginx": ["nginx"],
}


def servers_missing():
    missing = []
    if not shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin"):
        missing.append("nginx (nginx-light)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if not (os.path.isdir("/usr/lib/postgresql") or shutil.which("initdb")):
        missing.append("postgres (postgresql)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        missing.append("psycopg2 (python3-psycopg2)")
    return missing


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def processes_of(tag, directory):
    """pid -> command line of every live process carrying `tag` in its environment (benchctl
    passes its environment on; postgres and redis keep it) or `directory` in its command line
    (nginx empties its environment but names its configuration), and of their descendants (the
    postmaster's children rewrite both)."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        stat = read(f"/proc/{name}/stat")
        if not stat:
            continue
        fields = stat.rsplit(b")", 1)[1].split()
        if fields[0] in (b"Z", b"X"):
            continue
        table[int(name)] = (int(fields[1]), read(f"/proc/{name}/cmdline").replace(b"\0", b" "))
    found = {pid for pid, (_, cmdline) in table.items()
             if directory.encode() in cmdline or
             f"FAKE_TAG={tag}".encode() in read(f"/proc/{pid}/environ").split(b"\0")}
    found.discard(os.getpid())
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in table.items():
            if ppid in found and pid not in found:
                found.add(pid)
                grew = True
    return {pid: table[pid][1].decode(errors="replace") for pid in found if pid in table}


def wait_for_text(path, pattern, proc, deadline_sec):
    deadline = time.monotonic() + deadline_sec
    while time.monotonic() < deadline and proc.poll() is None:
        if re.search(pattern, read(path).decode(errors="replace"), re.M):
            return True
        time.sleep(0.05)
    return False


@unittest.skipIf(servers_missing(), f"not installed: {', '.join(servers_missing())}")
class ServiceKinds(RunTestCase):

    def write(self, duration="1s", **replacements):
        text = MATRIX.replace("@APP@", APP).replace("@DURATION@", duration)
        for old, new in replacements.items():
            text = text.replace(old, new)
        return self.write_matrix(text)

    def assertNoServerLeft(self):
        deadline = time.monotonic() + 2.0
        while processes_of(self.tag, self.dir) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(processes_of(self.tag, self.dir), {}, "processes of the run are left")

    def private_data_dirs(self, stderr):
        """The directories under /tmp that the run said it used for data out of the server
        user's reach (benchctl is root and the test's directory is private)."""
        return re.findall(r"its data is in (\S+)", stderr)

    def check_run(self, run_dir, result):
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNoServerLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        services = {s["name"]: s for s in manifest["services"]}
        self.assertEqual([s["name"] for s in manifest["services"]], ["db", "cache", "proxy"])
        self.assertRegex(services["db"]["version"], r"^postgres \(PostgreSQL\) \d+")
        self.assertRegex(services["cache"]["version"], r"^Redis server v=\d")
        self.assertRegex(services["proxy"]["version"], r"^nginx version: nginx/\d")
        cell = load_json(os.path.join(run_dir, manifest["cells"][0]["file"]))
        self.assertEqual(cell["status"], "done", cell["failure"])
        load = cell["load"]
        completed = load["requests"]["completed"]
        self.assertGreater(completed, 0)
        self.assertEqual(load["status_codes"], {"200": completed})
        # Every answered request wrote its row through ${db.url}.
        log = read(os.path.join(run_dir, "logs", "rows.log")).decode()
        self.assertTrue(log.startswith("redis +PONG\n"), log[:200])
        rows = [int(n) for n in re.findall(r"^rows (\d+)$", log, re.M)]
        self.assertGreaterEqual(max(rows, default=0), completed)
        # The load went through the proxy.
        access = read(os.path.join(run_dir, "logs", "service-proxy.access.log")).decode()
        self.assertGreaterEqual(access.count("GET /count"), completed)
        # Each service sampled apart from the target, over the same load.
        usage = {s["name"]: s for s in cell["services"]}
        self.assertEqual(sorted(usage), ["cache", "db", "proxy"])
        self.assertEqual(usage["db"]["kind"], "postgres")
        for name in ("db", "proxy"):
            self.assertGreater(usage[name]["resources"]["cpu_seconds"], 0, name)
        for name in usage:
            self.assertGreater(usage[name]["resources"]["peak_rss_bytes"], 0, name)
        # Data discarded unless kept.
        services_dir = os.path.join(run_dir, "services")
        self.assertFalse(os.path.lexists(os.path.join(services_dir, "db", "data")))
        self.assertTrue(os.path.isdir(os.path.join(services_dir, "cache", "data")))
        self.assertTrue(os.path.isfile(os.path.join(services_dir, "proxy", "nginx.conf")))
        for private in self.private_data_dirs(result.stderr):
            self.assertFalse(os.path.exists(private), private)
        return manifest

    def test_a_target_reaches_postgres_redis_and_nginx_started_from_one_line_each(self):
        run_dir = os.path.join(self.dir, "run")
        result = self.run_benchctl("run", self.write(), "--out", run_dir)
        self.check_run(run_dir, result)

    def test_the_same_run_as_an_unprivileged_user(self):
        run_dir, result = self.run_as_nobody(self.write())
        self.check_run(run_dir, result)
        self.assertEqual(self.private_data_dirs(result.stderr), [])

    def test_sigint_while_the_services_start_leaves_nothing_running(self):
        run_dir = os.path.join(self.dir, "run")
        proc = self.start_benchctl("run", self.write(), "--out", run_dir)
        log = os.path.join(run_dir, "logs", "service-db.log")
        started = wait_for_text(log, r"^creating directory", proc, 30)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        self.assertTrue(started, err)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("service 'db' (postgres): interrupted", err)
        self.assertNoServerLeft()
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        self.assertEqual(manifest["status"], "interrupted")
        self.assertEqual([c["status"] for c in manifest["cells"]], ["pending"])
        self.assertFalse(os.path.lexists(os.path.join(run_dir, "services", "db", "data")))
        for private in self.private_data_dirs(err):
            self.assertFalse(os.path.exists(private), private)

    def test_sigint_during_a_cell_stops_every_service(self):
        run_dir = os.path.join(self.dir, "run")
        proc = self.start_benchctl("run", self.write(duration="30s"), "--out", run_dir)
        loaded = wait_for_text(os.path.join(run_dir, "logs", "rows.log"), r"^rows \d", proc, 60)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        self.assertTrue(loaded, err)
        self.assertEqual(proc.returncode, 130, err)
        self.assertNoServerLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "interrupted")
        self.assertEqual([c["status"] for c in manifest["cells"]], ["interrupted"])
        self.assertFalse(os.path.lexists(os.path.join(run_dir, "services", "db", "data")))

    def test_a_service_that_cannot_start_fails_the_run_before_any_cell(self):
        run_dir = os.path.join(self.dir, "run")
        matrix = self.write(**{"{kind: redis, keep_data: true}":
                               "{kind: redis, settings: {maxmemory-policy: sometimes}}"})
        result = self.run_benchctl("run", matrix, "--out", run_dir)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("service 'cache' (redis): not ready: exited with code 1", result.stderr)
        self.assertIn("FATAL CONFIG FILE ERROR", result.stderr)  # the log's tail
        self.assertNoServerLeft()
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(manifest["status"], "failed")
        self.assertEqual([c["status"] for c in manifest["cells"]], ["pending"])
        self.assertFalse(os.path.lexists(os.path.join(run_dir, "services", "db", "data")))


class ServiceKindChecks(RunTestCase):
    """What validate and list say of service kinds; no server is started."""

    def test_validate_names_the_debian_package_of_a_missing_server(self):
        matrix = self.write_matrix(MATRIX.replace("@APP@", APP).replace("@DURATION@", "1s"))
        empty = os.path.join(self.dir, "empty-bin")
        os.mkdir(empty)
        # redis-server is in /usr/bin, which this PATH lacks (nginx is found in /usr/sbin all the
        # same, and postgres in /usr/lib/postgresql).
        env = dict(self.env(), PATH=empty)
        result = subprocess.run([benchctl_path(), "validate", matrix], capture_output=True,
                                text=True, timeout=60, env=env, cwd=self.dir)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("matrix.yaml:7:17: error: service 'cache': redis is not installed: no "
                      "redis-server on the PATH nor in /usr/local/sbin, /usr/sbin, /sbin; install "
                      "the Debian package redis-server", result.stderr)
        self.assertNotIn("service 'db'", result.stderr)

    def test_list_shows_a_kind_and_its_keys(self):
        matrix = self.write_matrix(MATRIX.replace("@APP@", APP).replace("@DURATION@", "1s"))
        result = self.run_benchctl("list", matrix, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        services = json.loads(result.stdout)["services"]
        self.assertEqual(services[0], {
            "name": "db", "kind": "postgres",
            "settings": {"fsync": "off", "synchronous_commit": "off", "max_connections": "30"},
            "keep_data": False, "databases": ["tasks"], "user": "benchctl"})
        self.assertEqual(services[2]["upstream"], "unix:${run_dir}/app.sock")
        text = self.run_benchctl("list", matrix).stdout
        self.assertIn("service db: postgres, databases tasks, settings fsync=off "
                      "synchronous_commit=off max_connections=30\n", text)


if __name__ == "__main__":
    unittest.main()
