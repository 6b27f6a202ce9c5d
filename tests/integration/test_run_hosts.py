"""`benchctl run` with hosts: a cell's load split over load agents (docs/hosts.md, phase B).

LoadAgentsInARun: the agents are the build's `benchctl agent` on `local` hosts (forked by the
run, the local transport); the target is recording_server.py, whose log is the independent
witness: the number of requests it answered equals the merged count, and the agents' parts add
up to it. An unreachable host and an agent of another protocol version stop the run before its
first cell.

LoadAgentsOverSsh: hosts a, b and d are network namespaces running sshd (netns_harness); the run
reaches their agents over OpenSSH. Agents on a and d load a target on the run's own machine; then
the target runs on b (target.host, started by b's agent, its log streamed back) and a loads it.
The target's access log counts every request; kill -9 of `benchctl run` during a load leaves no
process on any host. Skipped, saying why, where namespaces cannot be made.

ServiceKindsOnHosts: a postgres service on host c (set up there by c's agent: initdb, a cluster
in a private directory, readiness by the startup handshake there) and a redis there, a target on
host b that writes into postgres through ${db.url}, loaded from host a; setup steps here ping
redis and create the table, and an after check here counts its rows against the cell's 201s. kill -9 of `benchctl run` leaves no
postgres (and no data directory) on any host. Skipped, saying why, where namespaces, sshd,
postgres, psql or psycopg2 are missing.
"""

import glob
import json
import os
import shutil
import signal
import subprocess
import time
import unittest

from harness import HERE, benchctl_path
import netns_harness
from run_harness import RunTestCase, load_json, processes_with_tag
from test_service_kinds import wait_for_text

RECORDER = os.path.join(HERE, "recording_server.py")
STEPS_APP = os.path.join(HERE, "steps_app.py")

MATRIX = """\
name: hosts-split
hosts:
  a: {local: true}
  b: {local: true}
axes:
  split:
    - name: even
      load: {agents: [a, b]}
    - name: weighted
      load: {agents: [a, {host: b, weight: 2}]}
target:
  command: ["@PYTHON@", "@RECORDER@", "${port}", "--log", "${run_dir}/log-${cell}.jsonl",
            "--tag", "${env:FAKE_TAG}"]
  ready: {tcp: true, timeout: 5s}
load:
  url: "http://${target.host}:${port}/"
  threads: 1
  connections: 4
  requests: 600
"""


class LoadAgentsInARun(RunTestCase):

    def requests_seen(self, run_dir, cell):
        with open(os.path.join(run_dir, f"log-{cell}.jsonl"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        return sum(1 for r in records if r["event"] == "request")

    def test_a_load_split_over_two_agents_is_counted_exactly_by_the_target(self):
        matrix = self.write_matrix(MATRIX.replace("@RECORDER@", RECORDER))
        result = self.run_benchctl("run", matrix, "--out", "run")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNoProcessLeft()
        run_dir = os.path.join(self.dir, "run")
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual(sorted(manifest["hosts"]), ["a", "b"])
        self.assertEqual(manifest["hosts"]["a"]["transport"], "local")
        self.assertEqual(manifest["hosts"]["a"]["host"]["cores"], manifest["host"]["cores"])
        for cell, parts in (("even", [300, 300]), ("weighted", [150, 450])):
            doc = load_json(os.path.join(run_dir, "cells", f"{cell}.json"))
            merged = doc["load"]["requests"]
            self.assertEqual(merged["completed"], 600)
            self.assertEqual([a["host"] for a in doc["agents"]], ["a", "b"])
            self.assertEqual([a["load"]["requests"]["completed"] for a in doc["agents"]], parts)
            # Connections by weight (1:2 of 4 is 1 and 3), then requests by connections.
            self.assertEqual(sum(a["load"]["settings"]["connections"] for a in doc["agents"]), 4)
            # The target answered exactly what the merge counts (TCP readiness sends nothing).
            self.assertEqual(self.requests_seen(run_dir, cell), merged["completed"])

    def test_an_unreachable_host_stops_the_run_before_its_first_cell(self):
        text = MATRIX.replace("@RECORDER@", RECORDER).replace(
            "b: {local: true}", "b: {ssh: {address: 127.0.0.1, port: 2, "
            "options: [ConnectTimeout=5]}}")
        result = self.run_benchctl("run", self.write_matrix(text), "--out", "run")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("cannot reach the agent on host 'b'", result.stderr)
        self.assertIn("Connection refused", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "run")), "a cell ran")
        self.assertNoProcessLeft()

    def test_an_agent_of_another_protocol_is_refused_before_the_first_cell(self):
        matrix = self.write_matrix(MATRIX.replace("@RECORDER@", RECORDER))
        env = self.env()
        env["BENCHCTL_TEST_AGENT_PROTOCOL"] = "1"  # an older agent; the local agents inherit it
        result = subprocess.run([benchctl_path(), "run", matrix, "--out", "run"],
                                capture_output=True, text=True, timeout=60, env=env,
                                cwd=self.dir)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("host 'a' runs benchctl", result.stderr)
        self.assertIn("speaks agent protocol 1", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "run")), "a cell ran")
        self.assertNoProcessLeft()


# A threaded HTTP server on every address of the run's machine, logging each request to stderr
# (the target's log); the tag on its command line finds it if it outlives the test.
# argv: port, tag[, seconds to keep one core busy from the start (a target still booting)].
SERVER = ("import sys, threading, time, http.server as h\n"
          "def spin(until):\n"
          "    while time.monotonic() < until: pass\n"
          "if len(sys.argv) > 3:\n"
          "    threading.Thread(target=spin, args=(time.monotonic() + float(sys.argv[3]),),\n"
          "                     daemon=True).start()\n"
          "class H(h.BaseHTTPRequestHandler):\n"
          "    protocol_version = 'HTTP/1.1'\n"
          "    def do_GET(self):\n"
          "        self.send_response(200); self.send_header('Content-Length', '2')\n"
          "        self.end_headers(); self.wfile.write(b'ok')\n"
          "h.ThreadingHTTPServer(('0.0.0.0', int(sys.argv[1])), H).serve_forever()\n")

SSH_MATRIX = """\
name: hosts-ssh
hosts:
  a: {ssh: @SSH_A@, benchctl: "@BENCHCTL@"}
  d: {ssh: @SSH_D@, benchctl: "@BENCHCTL@"}
axes:
  clients:
    - {name: two, load: {agents: [a, {host: d, weight: 3}]}}
target:
  command: ["@PYTHON@", "-c", @SERVER@, "${port}", "${env:FAKE_TAG}"]
  ready: {tcp: true, timeout: 5s}
load:
  url: "http://@COORDINATOR@:${port}/"
  threads: 1
  connections: 4
  cpus: "0"      # each agent pins its load threads on its own host
  @STOP@
"""


# The target on host b, busy for its first 1.5 s, settled by b's agent, pinned to CPU 0 there,
# its version asked there (b's addresses and the command's own affinity), loaded from host a.
REMOTE_TARGET_MATRIX = """\
name: hosts-remote-target
hosts:
  a: {ssh: @SSH_A@, benchctl: "@BENCHCTL@"}
  b: {ssh: @SSH_B@, benchctl: "@BENCHCTL@"}
axes:
  where:
    - {name: on-b, target: {host: b}}
target:
  command: ["@PYTHON@", "-c", @SERVER@, "${port}", "${env:FAKE_TAG}", "1.5"]
  ready: {tcp: true, timeout: 5s}
  settle: {cpu_below: 20%, window: 300ms, timeout: 20s}
  cpus: "0"
  version: [sh, -c, "ip -4 -o addr show; grep Cpus_allowed_list /proc/self/status"]
load:
  url: "http://${target.host}:${port}/"
  agents: [a]
  threads: 1
  connections: 2
  @STOP@
"""

# A command service on host d, loaded from host a (the cell's own target runs here, unloaded).
REMOTE_SERVICE_MATRIX = """\
name: hosts-remote-service
hosts:
  a: {ssh: @SSH_A@, benchctl: "@BENCHCTL@"}
  d: {ssh: @SSH_D@, benchctl: "@BENCHCTL@"}
services:
  echo:
    command: ["@PYTHON@", "-c", @SERVER@, "${port}", "${env:FAKE_TAG}"]
    ready: {tcp: true, timeout: 5s}
    host: d
axes:
  mode: [direct]
target:
  command: ["@PYTHON@", "-c", @SERVER@, "${port}", "${env:FAKE_TAG}"]
  ready: {tcp: true, timeout: 5s}
load:
  url: "http://${echo.host}:${echo.port}/"
  agents: [a]
  threads: 1
  connections: 2
  @STOP@
"""

# Host b without a benchctl of its own: absent until --copy-binary copies this one there.
COPY_MATRIX = """\
name: hosts-copy
hosts:
  b: {ssh: @SSH_B@}
axes:
  mode: [copied]
target:
  command: ["@PYTHON@", "-c", @SERVER@, "${port}", "${env:FAKE_TAG}"]
  ready: {tcp: true, timeout: 5s}
load:
  url: "http://@COORDINATOR@:${port}/"
  agents: [b]
  threads: 1
  connections: 1
  @STOP@
"""

HOSTS = ("a", "b", "d")


class LoadAgentsOverSsh(RunTestCase):

    @classmethod
    def setUpClass(cls):
        netns_harness.set_up_ssh_hosts(cls, HOSTS)

    def ssh_matrix(self, stop, text=SSH_MATRIX):
        def ssh(host):
            return json.dumps({"address": self.network.address(host), "user": "root",
                               "identity": self.keys.identity,
                               "options": self.keys.client_options()})
        for host in HOSTS:
            text = text.replace(f"@SSH_{host.upper()}@", ssh(host))
        text = (text
                .replace("@BENCHCTL@", benchctl_path()).replace("@SERVER@", json.dumps(SERVER))
                .replace("@COORDINATOR@", self.network.address("coordinator"))
                .replace("@STOP@", stop))
        return self.write_matrix(text)

    def assertOnlySshdLeft(self, deadline_sec=10):
        wanted = {host: {self.sshd[host].listener_pid()} for host in HOSTS}
        deadline = time.monotonic() + deadline_sec
        found = {}
        while time.monotonic() < deadline:
            found = {host: self.network.pids(host) for host in HOSTS}
            if found == wanted:
                return
            time.sleep(0.05)
        self.fail(f"processes left on the hosts: {found}, sshd: {wanted}")

    def test_two_ssh_agents_load_a_target_here_and_its_log_counts_the_merge(self):
        result = self.run_benchctl("run", self.ssh_matrix("requests: 400"), "--out", "run")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        run_dir = os.path.join(self.dir, "run")
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual({name: h["transport"] for name, h in manifest["hosts"].items()},
                         {"a": "ssh", "d": "ssh"})
        doc = load_json(os.path.join(run_dir, "cells", "two.json"))
        self.assertEqual(doc["load"]["requests"]["completed"], 400)
        self.assertEqual(doc["load"]["requests"]["failed"], 0)
        self.assertEqual([(a["host"], a["load"]["settings"]["connections"],
                           a["load"]["requests"]["completed"]) for a in doc["agents"]],
                         [("a", 1, 100), ("d", 3, 300)])
        # load.cpus went to each agent, which pinned its threads there (checked when prepared).
        self.assertEqual([a["load"]["settings"]["cpus"] for a in doc["agents"]], [[0], [0]])
        with open(os.path.join(run_dir, "logs", "two.log"), errors="replace") as f:
            seen = sum(1 for line in f if '"GET / HTTP/1.1" 200' in line)
        self.assertEqual(seen, 400, "the target's log disagrees with the merged count")
        self.assertNoProcessLeft()
        self.assertOnlySshdLeft()

    def kill_9_once(self, matrix, started, what, into_load_sec):
        """Starts `benchctl run matrix`, waits until started() (at most 30 s), lets the load run
        into_load_sec, SIGKILLs benchctl, then requires nothing but sshd on any host."""
        proc = self.start_benchctl("run", matrix, "--out", "run")
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        try:
            deadline = time.monotonic() + 30
            running = False
            while time.monotonic() < deadline and not running:
                time.sleep(0.2)
                running = started()
            self.assertTrue(running, what)
            time.sleep(into_load_sec)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        self.assertOnlySshdLeft()
        self.assertNoProcessLeft()

    def busy(self, host):
        """Whether something besides sshd runs in host's namespace."""
        return bool(self.network.pids(host) - {self.sshd[host].listener_pid()})

    def test_kill_9_of_the_run_leaves_no_process_on_any_host(self):
        self.kill_9_once(
            self.ssh_matrix("duration: 60s"),
            lambda: self.busy("a") and self.busy("d") and bool(processes_with_tag(self.tag)),
            "the agents never started", 1)


    def test_a_target_on_host_b_starts_there_and_its_streamed_log_counts_the_load(self):
        matrix = self.ssh_matrix("requests: 300", REMOTE_TARGET_MATRIX)
        result = self.run_benchctl("run", matrix, "--out", "run")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        run_dir = os.path.join(self.dir, "run")
        self.assertRunDirectoryValid(run_dir)
        doc = load_json(os.path.join(run_dir, "cells", "on-b.json"))
        self.assertEqual(doc["load"]["requests"]["completed"], 300)
        self.assertEqual(doc["load"]["url"],
                         f"http://{self.network.address('b')}:{doc['target']['port']}/")
        self.assertGreater(doc["target"]["resources"]["samples"], 0)
        self.assertGreater(doc["target"]["ready_seconds"], 0)  # b's agent waited for it
        # The version command ran on b, pinned as the target is: it saw b's own address and CPU 0.
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        self.assertIn(self.network.address("b") + "/", manifest["tool_versions"]["on-b"])
        self.assertRegex(manifest["tool_versions"]["on-b"], r"Cpus_allowed_list:\s+0\b")
        self.assertEqual(doc["target"]["cpus"], [0])
        # The settle step saw b's CPU: quiet only once the busy start was over.
        settle = doc["target"]["settle"]
        self.assertTrue(settle["settled"], settle)
        self.assertGreaterEqual(settle["seconds"], 0.6, settle)
        self.assertLess(settle["cpu_percent"], 20, settle)
        # The log came back from b: one line per request, each from a's address.
        with open(os.path.join(run_dir, "logs", "on-b.log"), errors="replace") as f:
            lines = [line for line in f if '"GET / HTTP/1.1" 200' in line]
        self.assertEqual(len(lines), 300, "the target's log disagrees with the merged count")
        self.assertTrue(all(line.startswith(self.network.address("a") + " ") for line in lines))
        self.assertNoProcessLeft()
        self.assertOnlySshdLeft()

    def test_kill_9_of_the_run_leaves_nothing_on_the_target_host_either(self):
        self.kill_9_once(
            self.ssh_matrix("duration: 60s", REMOTE_TARGET_MATRIX),
            lambda: bool(processes_with_tag(self.tag)) and self.busy("a"),
            "the target or the agent never started", 1.5)


    def test_a_command_service_on_host_d_starts_there_and_is_reached_by_its_host(self):
        matrix = self.ssh_matrix("requests: 200", REMOTE_SERVICE_MATRIX)
        result = self.run_benchctl("run", matrix, "--out", "run")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        run_dir = os.path.join(self.dir, "run")
        manifest = self.assertRunDirectoryValid(run_dir)
        self.assertEqual([s["name"] for s in manifest["services"]], ["echo"])
        doc = load_json(os.path.join(run_dir, "cells", "direct.json"))
        self.assertEqual(doc["load"]["requests"]["completed"], 200)
        self.assertEqual(doc["load"]["url"], f"http://{self.network.address('d')}:"
                                             f"{manifest['services'][0]['port']}/")
        with open(os.path.join(run_dir, "logs", "service-echo.log"), errors="replace") as f:
            lines = [line for line in f if '"GET / HTTP/1.1" 200' in line]
        self.assertEqual(len(lines), 200, "the service's log disagrees with the merged count")
        self.assertTrue(all(line.startswith(self.network.address("a") + " ") for line in lines))
        self.assertNoProcessLeft()
        self.assertOnlySshdLeft()


    def test_an_agent_dropped_mid_cell_fails_the_cell_with_its_host_and_reason(self):
        proc = self.start_benchctl("run", self.ssh_matrix("duration: 60s"), "--out", "run")
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        address = self.network.address("a")
        try:
            deadline = time.monotonic() + 30
            clients = []
            while time.monotonic() < deadline and not clients:
                time.sleep(0.2)
                clients = [pid for pid in processes_with_tag(self.keys.identity)
                           if f" {address} " in self.command_line(pid)]
            self.assertEqual(len(clients), 1, "no ssh client to host a")
            time.sleep(1.5)  # into the load
            os.kill(clients[0], signal.SIGKILL)
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)
        self.assertEqual(proc.returncode, 1, stderr)
        doc = load_json(os.path.join(self.dir, "run", "cells", "two.json"))
        self.assertEqual(doc["status"], "failed")
        self.assertIn("the connection to the agent on host 'a' dropped", doc["failure"]["reason"])
        self.assertIn("host 'a'", doc["failure"]["reason"])
        self.assertOnlySshdLeft()
        self.assertNoProcessLeft()

    def test_a_host_without_benchctl_is_refused_before_the_first_cell_unless_copying(self):
        matrix = self.ssh_matrix("requests: 50", COPY_MATRIX)
        refused = self.run_benchctl("run", matrix, "--out", "refused")
        self.assertEqual(refused.returncode, 2, refused.stdout + refused.stderr)
        self.assertIn("benchctl is not installed on host 'b'", refused.stderr)
        self.assertIn("--copy-binary", refused.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "refused")), "a cell ran")
        copied = self.run_benchctl("run", matrix, "--out", "run", "--copy-binary")
        self.assertEqual(copied.returncode, 0, copied.stdout + copied.stderr)
        doc = load_json(os.path.join(self.dir, "run", "cells", "copied.json"))
        self.assertEqual(doc["load"]["requests"]["completed"], 50)
        self.assertTrue(any("benchctl" in files for _, _, files in os.walk(self.sshd["b"].cache_dir())),
                        "no copy of benchctl in b's cache")
        self.assertNoProcessLeft()
        self.assertOnlySshdLeft()

    @staticmethod
    def command_line(pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return ""


# A postgres service on host c, a target on host b writing into it, its load from two agents on
# hosts a and d (issue 13's test); the setup step and the after check run here, reaching c's
# postgres through ${db.url}.
REMOTE_POSTGRES_MATRIX = """\
name: hosts-remote-postgres
hosts:
  a: {ssh: @SSH_A@, benchctl: "@BENCHCTL@"}
  b: {ssh: @SSH_B@, benchctl: "@BENCHCTL@"}
  c: {ssh: @SSH_C@, benchctl: "@BENCHCTL@"}
  d: {ssh: @SSH_D@, benchctl: "@BENCHCTL@"}
services:
  db: {kind: postgres, host: c, databases: [app], settings: {fsync: "off"}}
  cache: {kind: redis, host: c}
setup:
  - name: ping
    shell: test "$(redis-cli -h ${cache.host} -p ${cache.port} ping)" = PONG
  - {name: schema, shell: "psql '${db.url}' -q -c 'CREATE TABLE items (id serial, name text)'"}
after:
  - name: rows
    shell: "psql '${db.url}' -tA -c 'SELECT count(*) FROM items'"
    expect: {output: "${cell.status.201}"}
axes:
  where:
    - {name: on-b, target: {host: b}}
target:
  command: ["@PYTHON@", "@APP@", "${port}", "${db.url}", "bind=0.0.0.0", "${env:FAKE_TAG}"]
  ready: {http: /, timeout: 20s}
load:
  url: "http://${target.host}:${port}/items"
  method: POST
  agents: [a, d]
  threads: 1
  connections: 2
  @STOP@
"""

KIND_HOSTS = ("a", "b", "c", "d")


def postgres_missing():
    """What the remote postgres test needs and this machine lacks (scripts/install-deps.sh)."""
    missing = []
    if not (os.path.isdir("/usr/lib/postgresql") or shutil.which("initdb")):
        missing.append("postgres (postgresql)")
    if not shutil.which("psql"):
        missing.append("psql (postgresql-client)")
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        missing.append("redis-server and redis-cli (redis-server)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        missing.append("psycopg2 (python3-psycopg2)")
    return missing


def postmasters_of_run():
    """Pids of postgres processes whose command line names a benchctl data directory."""
    found = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                line = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "postgres" in line and "/benchctl-db-" in line:
            found.add(int(pid))
    return found


class ServiceKindsOnHosts(RunTestCase):

    @classmethod
    def setUpClass(cls):
        missing = postgres_missing()
        if missing:
            raise unittest.SkipTest("a postgres service on another host needs "
                                    + ", ".join(missing) + ": scripts/install-deps.sh")
        netns_harness.set_up_ssh_hosts(cls, KIND_HOSTS)

    def setUp(self):
        super().setUp()
        self.data_dirs_before = set(glob.glob("/tmp/benchctl-db-*"))

    def matrix(self, stop):
        text = REMOTE_POSTGRES_MATRIX
        for host in KIND_HOSTS:
            text = text.replace(f"@SSH_{host.upper()}@", json.dumps({
                "address": self.network.address(host), "user": "root",
                "identity": self.keys.identity, "options": self.keys.client_options()}))
        text = (text.replace("@BENCHCTL@", benchctl_path()).replace("@APP@", STEPS_APP)
                .replace("@STOP@", stop))
        return self.write_matrix(text)

    def assertNothingLeftOnTheHosts(self, deadline_sec=10):
        wanted = {host: {self.sshd[host].listener_pid()} for host in KIND_HOSTS}
        deadline = time.monotonic() + deadline_sec
        found = {}
        while time.monotonic() < deadline:
            found = {host: self.network.pids(host) for host in KIND_HOSTS}
            if found == wanted and not postmasters_of_run():
                break
            time.sleep(0.05)
        self.assertEqual(found, wanted, "processes left on the hosts besides sshd")
        self.assertEqual(postmasters_of_run(), set(), "a postgres of the run is left")
        left = set(glob.glob("/tmp/benchctl-db-*")) - self.data_dirs_before
        self.assertEqual(left, set(), "a data directory of the run is left")
        self.assertNoProcessLeft()

    def test_a_postgres_on_host_c_serves_a_target_on_b_loaded_from_a_and_d(self):
        result = self.run_benchctl("run", self.matrix("requests: 60"), "--out", "run")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        run_dir = os.path.join(self.dir, "run")
        manifest = self.assertRunDirectoryValid(run_dir)
        db, cache = manifest["services"]
        self.assertEqual((db["name"], db["kind"], cache["kind"]), ("db", "postgres", "redis"))
        self.assertIn("PostgreSQL", db["version"])
        self.assertTrue(db["data"].endswith(" on host c"), db["data"])
        # Both reached from here at c's address: redis answered PONG, postgres took the table.
        self.assertEqual([s["status"] for s in manifest["setup"]], ["ok", "ok"])
        doc = load_json(os.path.join(run_dir, "cells", "on-b.json"))
        self.assertEqual(doc["status"], "done", doc.get("failure"))
        self.assertEqual(doc["load"]["status_codes"], {"201": 60})
        # Split over a and d, merged exactly: the parts add up to the 60 rows c's postgres holds.
        self.assertEqual([a["host"] for a in doc["agents"]], ["a", "d"])
        self.assertEqual(sum(a["load"]["requests"]["completed"] for a in doc["agents"]), 60)
        self.assertEqual(doc["load"]["url"],
                         f"http://{self.network.address('b')}:{doc['target']['port']}/items")
        # The after check counted the rows in c's postgres against the 201s: it passed.
        self.assertEqual(doc["checks"], [{"name": "rows", "passed": True, "expected": "60",
                                          "actual": "60", "failure": None}])
        # c's agent streamed the service's log back: initdb's and the server's output.
        with open(os.path.join(run_dir, "logs", "service-db.log"), errors="replace") as f:
            log = f.read()
        self.assertIn("database system is ready to accept connections", log)
        self.assertNothingLeftOnTheHosts()

    def test_sigint_while_initdb_runs_on_host_c_stops_it_there_and_leaves_nothing(self):
        run_dir = os.path.join(self.dir, "run")
        proc = self.start_benchctl("run", self.matrix("requests: 60"), "--out", run_dir)
        log = os.path.join(run_dir, "logs", "service-db.log")
        started = wait_for_text(log, r"^creating directory", proc, 30)  # streamed from c
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        self.assertTrue(started, err)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("service 'db' (postgres): interrupted", err)
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        self.assertEqual(manifest["status"], "interrupted")
        self.assertEqual([c["status"] for c in manifest["cells"]], ["pending"])
        self.assertNothingLeftOnTheHosts()

    def test_kill_9_of_the_run_leaves_no_postgres_on_any_host(self):
        proc = self.start_benchctl("run", self.matrix("duration: 60s"), "--out", "run")
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        try:
            deadline = time.monotonic() + 60
            running = False
            while time.monotonic() < deadline and not running:
                time.sleep(0.2)
                running = (bool(processes_with_tag(self.tag)) and bool(postmasters_of_run())
                           and bool(self.network.pids("a") - {self.sshd["a"].listener_pid()}))
            self.assertTrue(running, "the postgres, the target or the load never started")
            self.assertLessEqual(postmasters_of_run(), self.network.pids("c"),
                                 "the postgres does not run on host c")
            time.sleep(1.5)  # into the load
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        self.assertNothingLeftOnTheHosts(deadline_sec=20)


if __name__ == "__main__":
    unittest.main()
