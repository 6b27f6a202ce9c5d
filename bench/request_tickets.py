#!/usr/bin/python3
"""Compares two benchctl binaries on `benchctl load -n` with several threads: the request tickets
every thread takes once per request (src/load/run_plan.hpp).

    bench/request_tickets.py --before OLD --after NEW [--pairs 9] [-t 4] [-c 40] [-n 400000]

Written for the change that put RunPlan's ticket counters on cache lines of their own (they
shared one with measure_start_ns and the request, which every thread reads per request), and
kept for any later change to how threads share the plan.

1. Starts nginx as bench/load_vs_wrk.py does (one worker on the first CPU, `return 200`).
2. Runs each binary once to warm up; discarded.
3. Runs `benchctl load URL -t T -c C -n N --json FILE` with each binary, --pairs times, the
   order alternating (before-after, after-before, ...) so drift and order effects fall on both.
   The clients run on every CPU this process may use (--client-cpus): false sharing needs the
   threads on different cores, which a client pinned to one CPU would never be.
4. Prints each run, then per pair the ratios after/before of requests/sec and of requests per
   client CPU-second (user + sys), and their medians with the range.

Python 3 stdlib only; reuses bench/load_vs_wrk.py. See bench/README.md.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load_vs_wrk as common  # noqa: E402  (the nginx and client-run helpers)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--before", required=True, help="benchctl binary before the change")
    parser.add_argument("--after", required=True, help="benchctl binary after the change")
    parser.add_argument("--nginx", default="/usr/sbin/nginx")
    parser.add_argument("--pairs", type=int, default=9)
    parser.add_argument("-t", "--threads", type=int, default=4)
    parser.add_argument("-c", "--connections", type=int, default=40)
    parser.add_argument("-n", "--requests", type=int, default=400000)
    parser.add_argument("--server-cpus", help="taskset list for nginx (default: first CPU)")
    parser.add_argument("--client-cpus", help="taskset list for benchctl (default: every CPU)")
    parser.add_argument("--json-out", help="also write every figure to this file")
    args = parser.parse_args()
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    for path in (args.before, args.after):
        if not os.access(path, os.X_OK):
            parser.error(f"{path} is not an executable")
    return args


def run_load(binary, url, args, cpus):
    with tempfile.TemporaryDirectory() as tmp:
        json_path = os.path.join(tmp, "load.json")
        argv = ["taskset", "-c", cpus, binary, "load", url, "-t", str(args.threads),
                "-c", str(args.connections), "-n", str(args.requests), "--json", json_path]
        run = common.run_client(argv, 300)
        if run.code != 0 or not os.path.exists(json_path):
            common.die(f"{binary} load failed (exit {run.code}):\n{run.output}")
        with open(json_path) as f:
            doc = json.load(f)
    completed = doc["requests"]["completed"]
    if completed != args.requests or any(doc["errors"].values()):
        common.die(f"{binary}: {completed} of {args.requests} requests completed, errors "
                   f"{doc['errors']}")
    return {"requests_per_sec": doc["requests_per_sec"], "cpu_sec": run.cpu_sec,
            "requests_per_cpu_sec": completed / run.cpu_sec if run.cpu_sec > 0 else 0.0}


def describe(name, m):
    return (f"{name:>6}: {m['requests_per_sec']:>9.0f} req/s  {m['cpu_sec']:6.2f} CPU s  "
            f"{m['requests_per_cpu_sec']:>9.0f} req/CPU-s")


def summarize(pairs):
    print(f"\n{'pair':>4} | {'before':>9} {'after':>9} {'ratio':>6} | {'before':>9} {'after':>9} "
          f"{'ratio':>6}   (req/s | req/CPU-s)")
    rps, eff = [], []
    for i, (b, a) in enumerate(pairs, 1):
        rps.append(a["requests_per_sec"] / b["requests_per_sec"])
        eff.append(a["requests_per_cpu_sec"] / b["requests_per_cpu_sec"])
        print(f"{i:>4} | {b['requests_per_sec']:>9.0f} {a['requests_per_sec']:>9.0f} "
              f"{rps[-1]:>6.3f} | {b['requests_per_cpu_sec']:>9.0f} "
              f"{a['requests_per_cpu_sec']:>9.0f} {eff[-1]:>6.3f}")
    print(f"\nmedian ratio after/before, requests/sec:            {statistics.median(rps):.3f}"
          f"  (range {min(rps):.3f} .. {max(rps):.3f})")
    print(f"median ratio after/before, requests per CPU-second: {statistics.median(eff):.3f}"
          f"  (range {min(eff):.3f} .. {max(eff):.3f})")
    return {"requests_per_sec": statistics.median(rps),
            "requests_per_cpu_sec": statistics.median(eff)}


def main():
    args = parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    server_cpus = args.server_cpus or str(cpus[0])
    client_cpus = args.client_cpus or ",".join(str(cpu) for cpu in cpus)
    nofile = common.file_limit(wanted=21024, needed=args.connections + 1024)
    results = {"settings": vars(args), "pairs": []}
    print(f"nginx: 1 worker on CPU {server_cpus}; benchctl on CPU {client_cpus}; "
          f"-t {args.threads} -c {args.connections} -n {args.requests}; {args.pairs} pairs")
    with common.Nginx(args.nginx, server_cpus, 1, 20000, nofile) as nginx:
        url = nginx.url()
        print("warm-up (discarded):")
        for name, binary in (("before", args.before), ("after", args.after)):
            print(describe(name, run_load(binary, url, args, client_cpus)))
        pairs = []
        for i in range(1, args.pairs + 1):
            order = [("before", args.before), ("after", args.after)]
            if i % 2 == 0:
                order.reverse()
            print(f"pair {i}/{args.pairs}:")
            runs = {}
            for name, binary in order:
                runs[name] = run_load(binary, url, args, client_cpus)
                print(describe(name, runs[name]))
            pairs.append((runs["before"], runs["after"]))
            results["pairs"].append(runs)
        results["median_ratio"] = summarize(pairs)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
