#!/usr/bin/python3
"""Compares `benchctl load` with wrk against the same nginx: throughput, CPU cost, peak memory.

    bench/load_vs_wrk.py [--benchctl build/benchctl] [--pairs 7] [-t 1] [-c 50] [-d 5s] ...

1. Starts nginx (1 worker by default, pinned to the server CPUs with taskset, access_log off,
   `return 200` of a small body, worker_connections 20000).
2. Runs each client once to warm nginx and the page cache up; those runs are discarded.
3. Runs `wrk -t T -c C -d D URL` and `benchctl load URL -t T -c C -d D --json FILE` alternately,
   --pairs times, both pinned to the client CPUs. Alternating spreads slow drift (thermal,
   frequency, other tenants) over both clients instead of loading it onto whichever ran last.
4. For each run: requests/sec from the client's own report, and the client's CPU seconds
   (user + sys, from the child's own rusage via wait4). Prints the pairs and the median of the
   per-pair ratios benchctl/wrk: requests/sec, and requests per client CPU-second.
5. Runs each client once with --rss-connections (10000) and prints their peak RSS side by side
   (measured under /usr/bin/time when present; see run_client for why not ru_maxrss directly).

Python 3 stdlib only. Linux only (taskset, wait4, RLIMIT_NOFILE). See bench/README.md.
"""

import argparse
import ctypes
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NGINX_CONF = """\
worker_processes {workers};
worker_rlimit_nofile {nofile};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections {worker_connections}; }}
http {{
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    access_log off;
    # Keep connections open for the whole run: reconnects would measure the TCP handshake.
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    server {{
        listen 127.0.0.1:{port} backlog=65535;
        default_type text/plain;
        location / {{ return 200 "hello\\n"; }}
    }}
}}
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--benchctl", default=os.environ.get("BENCHCTL")
                        or os.path.join(REPO, "build", "benchctl"),
                        help="the binary to measure (default: $BENCHCTL or build/benchctl)")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    parser.add_argument("--nginx", default="/usr/sbin/nginx")
    parser.add_argument("--pairs", type=int, default=7, help="alternated wrk/benchctl pairs")
    parser.add_argument("-t", "--threads", type=int, default=1, help="client threads")
    parser.add_argument("-c", "--connections", type=int, default=50)
    parser.add_argument("-d", "--duration", default="5s", help="of each run, as wrk takes it")
    parser.add_argument("--warmup-duration", default="2s", help="of the discarded first runs")
    parser.add_argument("--rss-connections", type=int, default=10000,
                        help="connections of the peak-RSS runs (0 skips them)")
    parser.add_argument("--rss-duration", default="5s")
    parser.add_argument("--server-cpus", help="taskset list for nginx (default: first CPU)")
    parser.add_argument("--client-cpus", help="taskset list for the clients (default: second CPU)")
    parser.add_argument("--nginx-workers", type=int, default=1)
    parser.add_argument("--json-out", help="also write every figure to this file, after each run")
    args = parser.parse_args()
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    return args


def die(message):
    print(f"load_vs_wrk: error: {message}", file=sys.stderr)
    sys.exit(2)


def check_tools(args):
    for name, path in (("benchctl", args.benchctl), ("wrk", args.wrk), ("nginx", args.nginx),
                       ("taskset", shutil.which("taskset"))):
        if not path or not os.access(path, os.X_OK):
            die(f"{name} not found at {path!r}; build benchctl (--benchctl PATH) and run "
                "scripts/install-deps.sh for wrk, nginx-light and procps")


def choose_cpus(args):
    """Server and client CPU lists: separate CPUs so neither steals cycles from the other."""
    cpus = sorted(os.sched_getaffinity(0))
    server = args.server_cpus or str(cpus[0])
    if args.client_cpus:
        client = args.client_cpus
    elif len(cpus) > 1:
        client = str(cpus[1])
    else:
        client = str(cpus[0])
        print("warning: one CPU only; nginx and the client share it, so the figures measure "
              "contention as much as the client", file=sys.stderr)
    return server, client


def file_limit(wanted, needed):
    """Sets and returns the RLIMIT_NOFILE the children inherit: `wanted`, or the hard limit when
    that is lower and cannot be raised (raising it needs CAP_SYS_RESOURCE); warns when the result
    is below `needed`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = wanted
    if hard != resource.RLIM_INFINITY and hard < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
        except (ValueError, OSError):
            limit = hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, max(limit, hard)
                                                if hard != resource.RLIM_INFINITY else hard))
    if limit < needed:
        print(f"warning: RLIMIT_NOFILE is limited to {limit}, below the {needed} the clients "
              "need; raise the hard limit (ulimit -Hn) or lower --rss-connections / -c",
              file=sys.stderr)
    return limit


def die_with_parent():
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """nginx pinned to `cpus`, for a `with` block."""

    def __init__(self, path, cpus, workers, worker_connections, nofile):
        self.path, self.cpus, self.workers = path, cpus, workers
        self.worker_connections, self.nofile = worker_connections, nofile

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="benchctl-bench-nginx-")
        os.chmod(self.dir, 0o755)
        os.mkdir(os.path.join(self.dir, "tmp"))
        self.port = free_port()
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(dir=self.dir, port=self.port, workers=self.workers,
                                      nofile=self.nofile,
                                      worker_connections=self.worker_connections))
        self.log = open(os.path.join(self.dir, "stderr.log"), "wb")
        self.proc = subprocess.Popen(
            ["taskset", "-c", self.cpus, self.path, "-p", self.dir, "-c", "nginx.conf",
             "-g", "daemon off;"],
            stdout=self.log, stderr=self.log, start_new_session=True, preexec_fn=die_with_parent)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        with open(os.path.join(self.dir, "stderr.log"), errors="replace") as f:
            log = f.read()
        self.__exit__()
        die(f"nginx did not start:\n{log}")

    def __exit__(self, *exc):
        for sig in (signal.SIGQUIT, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self):
        return f"http://127.0.0.1:{self.port}/"


GNU_TIME = "/usr/bin/time"


class ClientRun:
    """What one client run left: exit code, output, CPU seconds and peak RSS."""

    def __init__(self, code, output, cpu_sec, max_rss_kib):
        self.code, self.output = code, output
        self.cpu_sec, self.max_rss_kib = cpu_sec, max_rss_kib


def run_client(argv, timeout_sec):
    """Runs argv to its end and measures it.

    CPU seconds (user + sys) come from os.wait4, the rusage of that child alone: the same figure
    as a RUSAGE_CHILDREN delta. Peak RSS cannot come from there: Linux keeps, across exec, the
    peak RSS of the forked copy of this Python process (~10 MiB), which would hide everything
    below it. So argv runs under GNU time, a small process whose own fork-and-exec leaves a floor
    of ~1.5 MiB, and %M (its child's ru_maxrss) is the figure. Without /usr/bin/time, VmHWM is
    sampled from /proc every 20 ms instead (it may miss a peak in the last 20 ms).
    """
    with tempfile.TemporaryDirectory() as tmp:
        out_path, rss_path = os.path.join(tmp, "output"), os.path.join(tmp, "rss")
        use_gnu_time = os.access(GNU_TIME, os.X_OK)
        if use_gnu_time:
            argv = [GNU_TIME, "-f", "%M", "-o", rss_path, *argv]
        with open(out_path, "w") as out:
            proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True, preexec_fn=die_with_parent)
        sampler = None if use_gnu_time else VmHwmSampler(proc.pid, program_name(argv))
        watchdog = threading.Timer(timeout_sec, lambda: os.killpg(proc.pid, signal.SIGKILL))
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        with open(out_path, errors="replace") as f:
            output = f.read()
        if use_gnu_time:
            with open(rss_path) as f:
                max_rss_kib = int(f.read().split()[-1])
        else:
            max_rss_kib = sampler.stop()
        return ClientRun(proc.returncode, output, usage.ru_utime + usage.ru_stime, max_rss_kib)


def program_name(argv):
    """The program argv ends up running: the one after taskset's options."""
    if os.path.basename(argv[0]) == "taskset":
        return os.path.basename(argv[3])
    return os.path.basename(argv[0])


class VmHwmSampler:
    """Samples VmHWM of `pid` once it runs `name` (after exec: a fresh address space)."""

    def __init__(self, pid, name):
        self.pid, self.name, self.peak = pid, name[:15], 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.done.is_set():
            try:
                with open(f"/proc/{self.pid}/comm") as f:
                    comm = f.read().strip()
                with open(f"/proc/{self.pid}/status") as f:
                    status = f.read()
            except OSError:
                return
            m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            if comm == self.name and m:
                self.peak = max(self.peak, int(m[1]))
            self.done.wait(0.02)

    def stop(self):
        self.done.set()
        self.thread.join()
        return self.peak


def seconds(duration):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h)?", duration)
    if not m:
        die(f"cannot read duration {duration!r}; write it as wrk does: 5s, 500ms, 1m")
    return float(m[1]) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[m[2]]


def run_wrk(args, url, client_cpus, threads, connections, duration):
    argv = ["taskset", "-c", client_cpus, args.wrk, "-t", str(threads), "-c", str(connections),
            "-d", duration, url]
    run = run_client(argv, seconds(duration) + 120)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", run.output, re.M)
    total = re.search(r"^\s+(\d+) requests in ", run.output, re.M)
    if run.code != 0 or not rps or not total:
        die(f"wrk failed (exit {run.code}):\n{run.output}")
    problems = re.findall(r"^\s+(Socket errors:.*|Non-2xx or 3xx responses:.*)$", run.output,
                          re.M)
    return measurement("wrk", float(rps[1]), int(total[1]), run, problems)


def run_benchctl(args, url, client_cpus, threads, connections, duration):
    with tempfile.TemporaryDirectory() as tmp:
        json_path = os.path.join(tmp, "load.json")
        argv = ["taskset", "-c", client_cpus, args.benchctl, "load", url, "-t", str(threads),
                "-c", str(connections), "-d", duration, "--json", json_path]
        run = run_client(argv, seconds(duration) + 120)
        if run.code != 0 or not os.path.exists(json_path):
            die(f"benchctl load failed (exit {run.code}):\n{run.output}")
        with open(json_path) as f:
            doc = json.load(f)
    errors = {k: v for k, v in doc["errors"].items() if v}
    problems = [f"errors: {errors}"] if errors else []
    if doc["non_2xx_3xx"]:
        problems.append(f"non-2xx/3xx: {doc['non_2xx_3xx']}")
    return measurement("benchctl", doc["requests_per_sec"], doc["requests"]["completed"],
                       run, problems)


def measurement(client, rps, completed, run, problems):
    cpu = run.cpu_sec
    return {"client": client, "requests_per_sec": rps, "completed": completed,
            "cpu_sec": cpu, "requests_per_cpu_sec": completed / cpu if cpu > 0 else 0.0,
            "max_rss_kib": run.max_rss_kib, "problems": problems}


def describe(m):
    note = f"  !! {'; '.join(m['problems'])}" if m["problems"] else ""
    return (f"{m['client']:>8}: {m['requests_per_sec']:>11.0f} req/s  {m['cpu_sec']:6.2f} CPU s  "
            f"{m['requests_per_cpu_sec']:>11.0f} req/CPU-s  {m['max_rss_kib'] / 1024:7.1f} MiB"
            f"{note}")


def print_pairs(pairs):
    print()
    print(f"{'pair':>4} | {'wrk req/s':>11} {'benchctl':>11} {'ratio':>6} | "
          f"{'wrk req/CPU-s':>13} {'benchctl':>11} {'ratio':>6}")
    rps_ratios, eff_ratios = [], []
    for i, (w, b) in enumerate(pairs, 1):
        rps_ratio = b["requests_per_sec"] / w["requests_per_sec"]
        eff_ratio = b["requests_per_cpu_sec"] / w["requests_per_cpu_sec"]
        rps_ratios.append(rps_ratio)
        eff_ratios.append(eff_ratio)
        print(f"{i:>4} | {w['requests_per_sec']:>11.0f} {b['requests_per_sec']:>11.0f} "
              f"{rps_ratio:>6.3f} | {w['requests_per_cpu_sec']:>13.0f} "
              f"{b['requests_per_cpu_sec']:>11.0f} {eff_ratio:>6.3f}")
    print()
    print(f"median ratio benchctl/wrk, requests/sec:            {statistics.median(rps_ratios):.3f}"
          f"  (range {min(rps_ratios):.3f} .. {max(rps_ratios):.3f})")
    print(f"median ratio benchctl/wrk, requests per CPU-second: {statistics.median(eff_ratios):.3f}"
          f"  (range {min(eff_ratios):.3f} .. {max(eff_ratios):.3f})")
    return statistics.median(rps_ratios), statistics.median(eff_ratios)


def main():
    args = parse_args()
    check_tools(args)
    server_cpus, client_cpus = choose_cpus(args)
    # nginx holds every client connection plus its own files; the client likewise.
    client_need = max(args.connections, args.rss_connections) + 1024
    worker_connections = max(20000, client_need)
    nofile = file_limit(wanted=worker_connections + 1024, needed=client_need)
    results = {"settings": {k: v for k, v in vars(args).items()},
               "server_cpus": server_cpus, "client_cpus": client_cpus, "pairs": []}
    results["settings"].update(server_cpus=server_cpus, client_cpus=client_cpus)

    def save():
        if args.json_out:
            with open(args.json_out, "w") as f:
                json.dump(results, f, indent=2)

    t, c, d = args.threads, args.connections, args.duration
    print(f"nginx: {args.nginx_workers} worker(s) on CPU {server_cpus}; clients on CPU "
          f"{client_cpus}; -t {t} -c {c} -d {d}; {args.pairs} pairs; RLIMIT_NOFILE {nofile}")
    with Nginx(args.nginx, server_cpus, args.nginx_workers, worker_connections,
               nofile) as nginx:
        url = nginx.url()
        print("warm-up (discarded):")
        print(describe(run_wrk(args, url, client_cpus, t, c, args.warmup_duration)))
        print(describe(run_benchctl(args, url, client_cpus, t, c, args.warmup_duration)))
        pairs = []
        for i in range(1, args.pairs + 1):
            print(f"pair {i}/{args.pairs}:")
            w = run_wrk(args, url, client_cpus, t, c, d)
            print(describe(w))
            b = run_benchctl(args, url, client_cpus, t, c, d)
            print(describe(b))
            pairs.append((w, b))
            results["pairs"].append({"wrk": w, "benchctl": b})
            save()
        rps_ratio, eff_ratio = print_pairs(pairs)
        results["median_ratio"] = {"requests_per_sec": rps_ratio,
                                   "requests_per_cpu_sec": eff_ratio}
        save()

        if args.rss_connections > 0:
            rc = args.rss_connections
            print(f"\npeak RSS with -t {t} -c {rc} -d {args.rss_duration}:")
            b = run_benchctl(args, url, client_cpus, t, rc, args.rss_duration)
            w = run_wrk(args, url, client_cpus, t, rc, args.rss_duration)
            print(f"{'':>8}  {'peak RSS':>10}  {'req/s':>10}  problems")
            for m in (w, b):
                print(f"{m['client']:>8}  {m['max_rss_kib'] / 1024:>6.1f} MiB  "
                      f"{m['requests_per_sec']:>10.0f}  {'; '.join(m['problems']) or '-'}")
            print(f"ratio benchctl/wrk peak RSS: {b['max_rss_kib'] / w['max_rss_kib']:.2f}")
            results["rss"] = {"connections": rc, "wrk": w, "benchctl": b}
            save()


if __name__ == "__main__":
    main()
