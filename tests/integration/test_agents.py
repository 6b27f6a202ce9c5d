"""Agents on other "hosts": network namespaces joined by a bridge, sshd in them, nginx in another.

The coordinator is tests/tools/agent_driver (the coordinator API of src/agent/ driven by a JSON
plan); the agents are the build's `benchctl agent`, reached through the local transport (a fork
in this namespace) or OpenSSH (Debian's sshd in a namespace, on keys made for the test). What is
checked against the outside world:
  - nginx's access log: every request the merged result says reached the server is one line,
    and per agent (each host has its own address) as well;
  - the merged histogram is the bucket-by-bucket union of the agents' histograms, and its
    percentiles are the union's, computed here from the serialised buckets;
  - `ip netns pids`: after kill -9 of the coordinator or of one ssh client, no process is left on
    any host but its sshd.
Skipped, saying why, where network namespaces cannot be created (not root, no CAP_NET_ADMIN).
"""

import collections
import json
import math
import os
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import netns_harness
from harness import SUITE_MARK, benchctl_path, spawn, kill_group


def driver_path():
    path = os.environ.get("AGENT_DRIVER") or os.path.join(
        os.path.dirname(benchctl_path()), "tests", "agent_driver")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} is missing: build the agent_driver target "
                           "(cmake --build build --target agent_driver)")
    return path


# ---------------------------------------------------------------------------------------------
# HdrHistogram's bucket layout with 3 significant digits (src/stats/latency_histogram.cpp),
# re-derived here so that the merged percentiles are checked by an independent computation.

_HALF_MAGNITUDE = 10  # ceil(log2(2 * 10^3)) - 1
_HALF_COUNT = 1 << _HALF_MAGNITUDE
_MASK = (1 << (_HALF_MAGNITUDE + 1)) - 1


def _value_at_index(index):
    bucket = (index >> _HALF_MAGNITUDE) - 1
    sub_bucket = (index & (_HALF_COUNT - 1)) + _HALF_COUNT
    if bucket < 0:
        sub_bucket -= _HALF_COUNT
        bucket = 0
    return sub_bucket << bucket


def _highest_equivalent(value):
    bucket = (value | _MASK).bit_length() - (_HALF_MAGNITUDE + 1)
    return ((value >> bucket) << bucket) + (1 << bucket) - 1


def buckets_of(histogram):
    """{counts index: count} of a serialised histogram."""
    assert histogram["significant_digits"] == 3
    counts, index, pairs = {}, 0, histogram["counts"]
    for i in range(0, len(pairs), 2):
        index += pairs[i]
        counts[index] = pairs[i + 1]
    return counts


def percentile_us(buckets, maximum, percentile):
    """The value at `percentile` of these buckets: rank ceil(p/100 * n), HdrHistogram's rule."""
    total = sum(buckets.values())
    rank = max(1, math.ceil(math.nextafter(percentile, 0) / 100 * total))
    seen = 0
    for index in sorted(buckets):
        seen += buckets[index]
        if seen >= rank:
            return min(_highest_equivalent(_value_at_index(index)), maximum)
    return maximum


# ---------------------------------------------------------------------------------------------

class DriverRun:
    def __init__(self, proc, stdout, stderr):
        self.returncode = proc.returncode
        self.stdout = stdout
        self.stderr = stderr
        self.out = json.loads(stdout) if proc.returncode == 0 and stdout.strip() else None

    def describe(self):
        return f"\n--- exit {self.returncode}\n--- stdout:\n{self.stdout[-3000:]}\n--- stderr:\n{self.stderr[-3000:]}"


class AgentsAcrossHosts(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        netns_harness.set_up_ssh_hosts(cls, ["a", "d", "web"], ssh_hosts=["a", "d"])
        cls.nginx = netns_harness.NamespacedNginx(cls.network, "web")
        cls.nginx.__enter__()
        cls.addClassCleanup(cls.nginx.__exit__, None, None, None)

    def setUp(self):
        self.tree_mark = f"benchctl-test-tree-{SUITE_MARK}"
        self.tmp = tempfile.mkdtemp(prefix=f"benchctl-agents-{SUITE_MARK}-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp]))
        self.nginx.clear_log()

    # --- plans -------------------------------------------------------------------------------

    def local_agent(self, name, weight=1):
        return {"name": name, "exec": [benchctl_path(), "agent"], "weight": weight}

    def ssh_agent(self, host, weight=1, copy_binary=False, benchctl=None, options=(), address=None,
                  name=None):
        ssh = {"address": address or self.network.address(host), "user": "root",
               "identity": self.keys.identity,
               "options": self.keys.client_options() + list(options),
               "copy_binary": copy_binary}
        if benchctl is not None:
            ssh["benchctl"] = benchctl
        return {"name": name or host, "ssh": ssh, "weight": weight}

    def sleeper_tree(self, agent, name):
        """A tree that says it is up and then sleeps, its argv marked as this suite's."""
        return {"agent": agent, "name": name, "log": os.path.join(self.tmp, f"{name}.log"),
                "argv": ["/usr/bin/python3", "-c",
                         "import time; print('up', flush=True); time.sleep(600)", self.tree_mark],
                "ready": {"kind": "log", "log_pattern": "^up$", "timeout_sec": 10}}

    def write_plan(self, plan):
        plan.setdefault("local_binary", benchctl_path())
        path = os.path.join(self.tmp, "plan.json")
        with open(path, "w") as f:
            json.dump(plan, f)
        return path

    def drive(self, plan, timeout=60, env=None):
        proc = subprocess.run([driver_path(), self.write_plan(plan)], capture_output=True,
                              text=True, timeout=timeout, env=env)
        return DriverRun(proc, proc.stdout, proc.stderr)

    def start_driver(self, plan):
        """The driver in the background; returns (proc, event set once its load is starting)."""
        proc = spawn([driver_path(), self.write_plan(plan)], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(kill_group, proc, signal.SIGKILL, 2)
        started = threading.Event()
        lines = []

        def watch():
            for line in proc.stderr:
                lines.append(line)
                if "load starting" in line:
                    started.set()

        threading.Thread(target=watch, daemon=True).start()
        self.assertTrue(started.wait(30), f"the load never started: {''.join(lines)}")
        return proc, lines

    # --- checks ------------------------------------------------------------------------------

    def assertMergedExactly(self, run):
        """Counts, statuses and histogram buckets of the merged document are the agents' sums, and
        its percentiles are those of the union of their buckets."""
        self.assertEqual(run.returncode, 0, run.describe())
        merged = run.out["load"]["merged"]
        agents = [a["document"] for a in run.out["load"]["agents"]]
        for key in ("started", "completed", "failed", "in_flight_at_stop"):
            self.assertEqual(merged["requests"][key], sum(a["requests"][key] for a in agents), key)
        r = merged["requests"]
        self.assertEqual(r["started"], r["completed"] + r["failed"] + r["in_flight_at_stop"])
        self.assertEqual(r["failed"], 0, run.describe())
        self.assertEqual(merged["status_codes"], {"200": r["completed"]})
        union = collections.Counter()
        for a in agents:
            union.update(buckets_of(a["histograms"]["latency"]))
        self.assertEqual(buckets_of(merged["histograms"]["latency"]), dict(union))
        maximum = merged["histograms"]["latency"]["max"]
        for key, p in (("p50", 50), ("p75", 75), ("p90", 90), ("p99", 99), ("p999", 99.9)):
            self.assertEqual(round(merged["latency_ms"][key] * 1000), percentile_us(union, maximum, p),
                             f"merged {key} is not the union's")
        return merged

    def assertNginxSawExactly(self, merged):
        """nginx logged one line per request that reached it: completed + in flight at stop."""
        r = merged["requests"]
        reached = r["completed"] + r["in_flight_at_stop"]
        self.assertEqual(self.nginx.settled_count(at_least=reached), reached,
                         "nginx's access log disagrees with the merged result")

    def assertOnlySshdLeft(self, deadline_sec=10):
        """No process on host a or d but its sshd, nor any of this test's trees anywhere."""
        wanted = {host: {self.sshd[host].listener_pid()} for host in ("a", "d")}
        deadline = time.monotonic() + deadline_sec
        while time.monotonic() < deadline:
            found = {host: self.network.pids(host) for host in ("a", "d")}
            if found == wanted and not self.marked_processes():
                return
            time.sleep(0.05)
        left = {host: [self.command_line(pid) for pid in self.network.pids(host) - wanted[host]]
                for host in ("a", "d")}
        self.fail(f"processes left on the hosts: {left}, marked: {self.marked_processes()}")

    @staticmethod
    def command_line(pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return "?"

    def marked_processes(self):
        """Live processes carrying this suite's mark that a test tree or an ssh client started."""
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid():
                continue
            line = self.command_line(int(name))
            if self.tree_mark in line or self.keys.identity in line:
                try:
                    with open(f"/proc/{name}/stat") as f:
                        if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                            continue
                except OSError:
                    continue
                found.append((int(name), line))
        return found

    # --- tests -------------------------------------------------------------------------------

    def test_local_agents_split_a_load_and_merge_it_exactly(self):
        run = self.drive({"agents": [self.local_agent("one"), self.local_agent("two")],
                          "load": {"url": self.nginx.url(), "threads": 1, "connections": 8,
                                   "duration_sec": 2}})
        merged = self.assertMergedExactly(run)
        self.assertGreater(merged["requests"]["completed"], 100, run.describe())
        self.assertNginxSawExactly(merged)
        self.assertEqual([a["connections"] for a in run.out["load"]["agents"]], [4, 4])
        addresses = {address for _, address in self.nginx.access_log()}
        self.assertEqual(addresses, {self.network.address("coordinator")})
        # Same machine, same monotonic clock: the offset is within the round trip.
        for agent in run.out["load"]["agents"]:
            self.assertLessEqual(abs(agent["offset_ns"]), agent["rtt_ns"] / 2 + 1)

    def test_ssh_agents_on_two_hosts_split_a_load_exactly_per_host(self):
        # a gets a copy of benchctl in its cache (consent given); d runs the build's binary.
        plan = {"agents": [self.ssh_agent("a", weight=3, copy_binary=True),
                           self.ssh_agent("d", weight=1, benchctl=benchctl_path())],
                "trees": [self.sleeper_tree("a", "target")],
                "load": {"url": self.nginx.url(), "threads": 2, "connections": 8, "duration_sec": 2}}
        run = self.drive(plan)
        merged = self.assertMergedExactly(run)
        self.assertNginxSawExactly(merged)
        agents = {a["name"]: a for a in run.out["load"]["agents"]}
        self.assertEqual((agents["a"]["connections"], agents["d"]["connections"]), (6, 2))
        # Each host has its own address: nginx's log tells the agents apart, exactly.
        by_address = collections.Counter(address for _, address in self.nginx.access_log())
        for host in ("a", "d"):
            r = agents[host]["document"]["requests"]
            self.assertEqual(by_address[self.network.address(host)],
                             r["completed"] + r["in_flight_at_stop"], host)
        copied = os.path.join(self.sshd["a"].cache_dir(), "benchctl")
        self.assertTrue(any(os.path.isfile(os.path.join(root, "benchctl"))
                            for root, _, _ in os.walk(self.sshd["a"].cache_dir())),
                        f"no copy of benchctl under {copied}")
        hello = run.out["hellos"]["d"]
        self.assertGreater(hello["host"]["cores"], 0)
        self.assertTrue(hello["host"]["kernel"].startswith("Linux "))
        self.assertTrue(hello["host"]["cpu_model"])
        self.assertEqual(run.out["trees"]["target"]["ready"], True)
        with open(os.path.join(self.tmp, "target.log")) as f:
            self.assertEqual(f.read(), "up\n")
        self.assertOnlySshdLeft()

    def test_kill_9_of_the_coordinator_leaves_no_process_on_any_host(self):
        plan = {"agents": [self.ssh_agent("a", benchctl=benchctl_path()),
                           self.ssh_agent("d", benchctl=benchctl_path()),
                           self.local_agent("here")],
                "trees": [self.sleeper_tree("a", "on-a"), self.sleeper_tree("d", "on-d"),
                          self.sleeper_tree("here", "here")],
                "load": {"url": self.nginx.url(), "threads": 1, "connections": 6,
                         "duration_sec": 60}}
        proc, _ = self.start_driver(plan)
        time.sleep(0.5)
        self.assertGreater(len(self.marked_processes()), 3, "the trees are not running")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        self.assertOnlySshdLeft()

    def test_a_dropped_ssh_connection_ends_its_agent_and_fails_the_load(self):
        plan = {"agents": [self.ssh_agent("a", benchctl=benchctl_path()),
                           self.ssh_agent("d", benchctl=benchctl_path())],
                "trees": [self.sleeper_tree("a", "on-a")],
                "load": {"url": self.nginx.url(), "threads": 1, "connections": 4,
                         "duration_sec": 60}}
        proc, lines = self.start_driver(plan)
        time.sleep(0.5)
        address = self.network.address("a")
        clients = [pid for pid, line in self.marked_processes()
                   if line.startswith("ssh ") and f" {address} " in line]
        self.assertEqual(len(clients), 1, self.marked_processes())
        os.kill(clients[0], signal.SIGKILL)
        proc.wait(30)
        stderr = "".join(lines)
        self.assertEqual(proc.returncode, 2, stderr)
        self.assertIn("agent_driver: error: the load failed: the connection to the agent on "
                      "host 'a' dropped (ssh was killed by signal 9", stderr)
        self.assertIn(", host 'a'", stderr)
        self.assertOnlySshdLeft()

    def test_an_agent_of_another_protocol_version_is_refused_naming_both(self):
        env = dict(os.environ, BENCHCTL_TEST_AGENT_PROTOCOL="999")
        run = self.drive({"agents": [self.local_agent("old")]}, env=env)
        self.assertEqual(run.returncode, 2, run.describe())
        self.assertRegex(run.stderr, r"host 'old' runs benchctl \S+ \(\S+\), which speaks agent "
                                     r"protocol 999; this benchctl \S+ \(\S+\) speaks protocol 3, "
                                     r"host 'old'; install the same benchctl")
        # Over ssh: the variable reaches the remote agent through SetEnv/AcceptEnv.
        run = self.drive({"agents": [self.ssh_agent(
            "a", benchctl=benchctl_path(), options=["SetEnv=BENCHCTL_TEST_AGENT_PROTOCOL=998"])]})
        self.assertEqual(run.returncode, 2, run.describe())
        self.assertIn("which speaks agent protocol 998; this benchctl", run.stderr)
        self.assertOnlySshdLeft()

    def test_an_unreachable_host_is_a_clear_error(self):
        run = self.drive({"agents": [self.ssh_agent("web", name="web")]})
        self.assertEqual(run.returncode, 2, run.describe())
        self.assertIn("cannot reach the agent on host 'web'", run.stderr)
        self.assertIn("Connection refused", run.stderr)
        self.assertRegex(run.stderr, r"check that `ssh -o BatchMode=yes .*root@[0-9.]+ true` works")
        # Nobody at that address: no route once ARP gives up.
        nobody = str(self.network.subnet.network_address + 200)
        run = self.drive({"agents": [self.ssh_agent("a", address=nobody, name="ghost",
                                                    options=["ConnectTimeout=5"])]})
        self.assertEqual(run.returncode, 2, run.describe())
        self.assertIn("cannot reach the agent on host 'ghost'", run.stderr)
        self.assertRegex(run.stderr, r"No route to host|Connection timed out")

    def test_a_host_without_benchctl_is_refused_until_copying_is_allowed(self):
        run = self.drive({"agents": [self.ssh_agent("d")]})
        self.assertEqual(run.returncode, 2, run.describe())
        self.assertIn("benchctl is not installed on host 'd', host 'd'; install benchctl", run.stderr)
        self.assertIn("--copy-binary", run.stderr)
        self.assertOnlySshdLeft()


if __name__ == "__main__":
    unittest.main()
