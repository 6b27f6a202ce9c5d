"""Separate "hosts" on one machine, for the agent tests: network namespaces joined by a bridge.

Network(["a", "d", "web"]) creates one network namespace per host, each with an eth0 (one end of
a veth pair) on a private /24, and a switch namespace holding the bridge that joins them; the
test's own (root) namespace joins the bridge as .1, so the coordinator reaches every host. Each
host has its own network stack, loopback and ports; the file system and the process table stay
shared (so a host can run the build's benchctl, and `ip netns pids` tells which processes live
"on" a host).

Sshd(network, host, keys) runs Debian's sshd in a host's namespace on a throwaway host key, with
root's login allowed for a throwaway user key (SshKeys) only. Everything is removed on exit, also
when a test fails: the processes started in the namespaces, the namespaces (which takes their
veths), the root namespace's veth, the temporary directories with the keys. A namespace that an
earlier, killed run left behind is recognised by the dead pid in its name and removed too.

Where namespaces cannot be created (not root, no CAP_NET_ADMIN, no `ip`, a kernel without veth
or bridges) Network raises unittest.SkipTest saying why.
"""

import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import SUITE_MARK, kill_group, spawn

IP = shutil.which("ip") or "/usr/sbin/ip"
SSHD = "/usr/sbin/sshd"
SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
NAME_PREFIX = "bcns"


def _run(*argv, check=True):
    """Runs a short command; returns its stdout. Raises RuntimeError with its stderr on failure."""
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def remove_stale_namespaces():
    """Deletes the namespaces of earlier runs whose process is gone (a run killed by SIGKILL)."""
    try:
        listed = _run(IP, "netns", "list", check=False)
    except (OSError, subprocess.SubprocessError):
        return
    for line in listed.splitlines():
        match = re.match(rf"({NAME_PREFIX}-(\d+)-\w+)", line)
        if match and not _pid_alive(int(match.group(2))):
            _kill_namespace_processes(match.group(1))
            _run(IP, "netns", "del", match.group(1), check=False)


def _namespace_pids(namespace):
    out = _run(IP, "netns", "pids", namespace, check=False)
    return {int(word) for word in out.split() if word.isdigit()}


def _kill_namespace_processes(namespace):
    for pid in _namespace_pids(namespace):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _free_subnet():
    """A 10.x.y.0/24 that no interface or route of this machine uses, chosen from the pid."""
    used = _run(IP, "-4", "route", "show", "table", "all", check=False) + \
        _run(IP, "-4", "addr", "show", check=False)
    networks = [ipaddress.ip_network(m, strict=False)
                for m in re.findall(r"\b(\d+\.\d+\.\d+\.\d+(?:/\d+)?)", used)]
    for attempt in range(200):
        third = (os.getpid() + attempt) % 250 + 1
        candidate = ipaddress.ip_network(f"10.213.{third}.0/24")
        if not any(candidate.overlaps(n) for n in networks if n.prefixlen > 0):
            return candidate
    raise RuntimeError("no free 10.213.x.0/24 subnet for the test network")


def namespaces_unavailable_reason():
    """Why this process cannot build the test network, or None when it can."""
    if os.geteuid() != 0:
        return "network namespaces need root (CAP_NET_ADMIN); run the tests as root"
    if not os.access(IP, os.X_OK):
        return "the ip command (iproute2) is not installed: scripts/install-deps.sh"
    probe = f"{NAME_PREFIX}-{os.getpid()}-probe"
    try:
        _run(IP, "netns", "add", probe)
        try:
            _run(IP, "-n", probe, "link", "add", "br0", "type", "bridge")
            _run(IP, "-n", probe, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
        finally:
            _run(IP, "netns", "del", probe, check=False)
    except (RuntimeError, OSError) as e:
        return f"cannot create network namespaces, bridges or veth pairs here: {e}"
    return None


class Network:
    """Hosts in network namespaces on one private /24, for a `with` block (see the module doc)."""

    def __init__(self, hosts):
        self.hosts = list(hosts)
        self.tag = f"{NAME_PREFIX}-{os.getpid()}"
        self.switch = f"{self.tag}-sw"
        self.root_link = f"bc{os.getpid() % 100000}r"  # interface names are 15 bytes at most
        self.subnet = None
        self._addresses = {}
        self._created = []
        self._root_link_made = False
        self._procs = []

    def __enter__(self):
        reason = namespaces_unavailable_reason()
        if reason:
            raise unittest.SkipTest(reason)
        remove_stale_namespaces()
        try:
            self._build()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def namespace(self, host):
        return f"{self.tag}-{host}"

    def address(self, host):
        """The host's address on the test network ("coordinator" is the root namespace's)."""
        return self._addresses[host]

    def _add_namespace(self, name):
        _run(IP, "netns", "add", name)
        self._created.append(name)
        _run(IP, "-n", name, "link", "set", "lo", "up")

    def _build(self):
        self.subnet = _free_subnet()
        hosts = list(self.subnet.hosts())
        self._add_namespace(self.switch)
        _run(IP, "-n", self.switch, "link", "add", "br0", "type", "bridge")
        _run(IP, "-n", self.switch, "link", "set", "br0", "up")
        # The coordinator (this namespace) is .1.
        _run(IP, "link", "add", self.root_link, "type", "veth", "peer", "name", "up0",
             "netns", self.switch)
        self._root_link_made = True
        self._addresses["coordinator"] = str(hosts[0])
        _run(IP, "addr", "add", f"{hosts[0]}/24", "dev", self.root_link)
        _run(IP, "link", "set", self.root_link, "up")
        self._plug("up0")
        for i, host in enumerate(self.hosts, start=1):
            namespace = self.namespace(host)
            self._add_namespace(namespace)
            _run(IP, "-n", namespace, "link", "add", "eth0", "type", "veth", "peer", "name",
                 f"up{i}", "netns", self.switch)
            self._plug(f"up{i}")
            self._addresses[host] = str(hosts[i])
            _run(IP, "-n", namespace, "addr", "add", f"{hosts[i]}/24", "dev", "eth0")
            _run(IP, "-n", namespace, "link", "set", "eth0", "up")

    def _plug(self, port):
        _run(IP, "-n", self.switch, "link", "set", port, "master", "br0")
        _run(IP, "-n", self.switch, "link", "set", port, "up")

    def spawn(self, host, argv, **kwargs):
        """Starts argv in `host`'s namespace (harness.spawn: its own group, dies with the test)."""
        proc = spawn([IP, "netns", "exec", self.namespace(host), *argv], **kwargs)
        self._procs.append(proc)
        return proc

    def pids(self, host):
        """Every process whose network namespace is `host`'s."""
        return _namespace_pids(self.namespace(host))

    def __exit__(self, *exc):
        for proc in self._procs:
            kill_group(proc, grace_sec=2)
        for name in reversed(self._created):
            _kill_namespace_processes(name)
            _run(IP, "netns", "del", name, check=False)
        if self._root_link_made:
            _run(IP, "link", "del", self.root_link, check=False)
        return False


class SshKeys:
    """A throwaway client key pair and the files an ssh client needs, in a temporary directory."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix=f"benchctl-ssh-{SUITE_MARK}-")
        os.chmod(self.dir, 0o700)
        self.identity = os.path.join(self.dir, "id_ed25519")
        _run(SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "benchctl-test", "-f", self.identity)
        self.known_hosts = os.path.join(self.dir, "known_hosts")
        open(self.known_hosts, "w").close()

    def public_key(self):
        with open(self.identity + ".pub") as f:
            return f.read()

    def client_options(self):
        """ssh -o options that trust exactly the test's sshds, and nothing of this machine's."""
        return [f"UserKnownHostsFile={self.known_hosts}", "GlobalKnownHostsFile=/dev/null",
                "StrictHostKeyChecking=yes", "IdentitiesOnly=yes", "LogLevel=ERROR"]

    def trust(self, address, host_public_key):
        with open(self.known_hosts, "a") as f:
            kind, key = host_public_key.split()[:2]
            f.write(f"{address} {kind} {key}\n")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


_SSHD_CONFIG = """\
ListenAddress {address}:22
HostKey {dir}/host_key
PidFile {dir}/sshd.pid
AuthorizedKeysFile {dir}/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PrintMotd no
AcceptEnv BENCHCTL_TEST_AGENT_PROTOCOL
SetEnv XDG_CACHE_HOME={dir}/cache
MaxStartups 50
LogLevel ERROR
"""


class Sshd:
    """Debian's sshd in a host's namespace, for a `with` block.

    Root may log in with `keys`' identity only; the host key is new and trusted in keys'
    known_hosts. XDG_CACHE_HOME points into the sshd's own directory, so a benchctl copied there
    (--copy-binary) goes away with it. The privilege separation directory /run/sshd is created
    when missing and removed again if this made it.
    """

    def __init__(self, network, host, keys):
        self.network = network
        self.host = host
        self.keys = keys
        self.address = network.address(host)
        self.dir = None
        self.proc = None
        self._made_run_dir = False

    def __enter__(self):
        if not os.access(SSHD, os.X_OK):
            raise unittest.SkipTest("sshd is not installed (openssh-server): scripts/install-deps.sh")
        self.dir = tempfile.mkdtemp(prefix=f"benchctl-sshd-{SUITE_MARK}-")
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        os.chmod(self.dir, 0o755)
        _run(SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(self.dir, "host_key"))
        with open(os.path.join(self.dir, "authorized_keys"), "w") as f:
            f.write(self.keys.public_key())
        with open(os.path.join(self.dir, "sshd_config"), "w") as f:
            f.write(_SSHD_CONFIG.format(address=self.address, dir=self.dir))
        with open(os.path.join(self.dir, "host_key.pub")) as f:
            self.keys.trust(self.address, f.read())
        if not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", mode=0o755)
            self._made_run_dir = True
        stderr = open(os.path.join(self.dir, "sshd.log"), "ab")
        self.proc = self.network.spawn(
            self.host, [SSHD, "-D", "-e", "-f", os.path.join(self.dir, "sshd_config")],
            stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
        stderr.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited ({self.proc.returncode}): {self.log()}")
            try:
                with socket.create_connection((self.address, 22), timeout=0.5) as sock:
                    if sock.recv(4).startswith(b"SSH-"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"sshd on {self.address} did not answer: {self.log()}")

    def log(self):
        try:
            with open(os.path.join(self.dir, "sshd.log"), errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def cache_dir(self):
        """The XDG_CACHE_HOME of this sshd's sessions."""
        return os.path.join(self.dir, "cache")

    def listener_pid(self):
        """The pid of sshd itself, in the namespace (ip netns exec execs it in place)."""
        return self.proc.pid

    def __exit__(self, *exc):
        if self.proc is not None:
            kill_group(self.proc, grace_sec=2)
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        if self._made_run_dir:
            shutil.rmtree("/run/sshd", ignore_errors=True)
        return False


_NGINX_CONF = """\
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    # One line per request nginx finished, written at once: its status and the client's address.
    log_format bench '$status $remote_addr';
    access_log {dir}/access.log bench;
    server {{
        listen {address}:{port};
        default_type text/plain;
        location / {{ return 200 "hello\\n"; }}
    }}
}}
"""


def set_up_ssh_hosts(test_class, hosts, ssh_hosts=None):
    """For a TestCase's setUpClass: test_class.network (`hosts` as namespaces), test_class.keys
    and an sshd on each of `ssh_hosts` (default: every host) in test_class.sshd[host], each torn
    down by a class cleanup, in reverse order, also when a later one fails to start."""
    test_class.network = Network(list(hosts))
    test_class.network.__enter__()
    test_class.addClassCleanup(test_class.network.__exit__, None, None, None)
    test_class.keys = SshKeys()
    test_class.addClassCleanup(test_class.keys.close)
    test_class.sshd = {}
    for host in (hosts if ssh_hosts is None else ssh_hosts):
        sshd = Sshd(test_class.network, host, test_class.keys)
        sshd.__enter__()
        test_class.addClassCleanup(sshd.__exit__, None, None, None)
        test_class.sshd[host] = sshd


class NamespacedNginx:
    """A private nginx in a host's namespace, listening on the host's address, for a `with` block."""

    def __init__(self, network, host, port=8080, workers=1):
        self.network = network
        self.host = host
        self.port = port
        self.workers = workers
        self.address = network.address(host)
        self.dir = None
        self.proc = None

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix=f"benchctl-nginx-{SUITE_MARK}-")
        try:
            os.chmod(self.dir, 0o755)
            os.mkdir(os.path.join(self.dir, "tmp"))
            conf = _NGINX_CONF
            with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
                f.write(conf.format(dir=self.dir, address=self.address, port=self.port,
                                    workers=self.workers))
            stderr = open(os.path.join(self.dir, "stderr.log"), "ab")
            self.proc = self.network.spawn(
                self.host, ["/usr/sbin/nginx", "-p", self.dir, "-c", "nginx.conf", "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
            stderr.close()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"nginx exited: {self._logs()}")
                try:
                    with socket.create_connection((self.address, self.port), timeout=0.5):
                        return self
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError(f"nginx did not accept on {self.address}:{self.port}: {self._logs()}")
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _logs(self):
        out = []
        for name in ("stderr.log", "error.log"):
            try:
                with open(os.path.join(self.dir, name), errors="replace") as f:
                    out.append(f.read()[-2000:])
            except OSError:
                pass
        return "\n".join(out)

    def url(self, path="/"):
        return f"http://{self.address}:{self.port}{path}"

    def access_log(self):
        """(status, client address) for every request nginx finished so far."""
        path = os.path.join(self.dir, "access.log")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [tuple(line.split()) for line in f if line.strip()]

    def clear_log(self):
        open(os.path.join(self.dir, "access.log"), "w").close()

    def settled_count(self, at_least=0, deadline_sec=5.0, quiet_sec=0.3):
        """The number of access-log lines once it stops growing (see harness.Nginx)."""
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

    def __exit__(self, *exc):
        if self.proc is not None:
            kill_group(self.proc, first_signal=signal.SIGQUIT, grace_sec=3)
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False
