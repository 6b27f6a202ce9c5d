#!/usr/bin/python3
"""One load agent against two, on separate network stacks, driving one nginx.

    sudo bench/agents.py [--benchctl build/benchctl] [--pairs 5] [-c 50] [-d 5] ...

1. Builds the test network of tests/integration/netns_harness.py: namespaces "a", "d" (one agent
   each) and "web" (nginx, 1 worker, pinned with taskset to --server-cpus), joined by a bridge.
2. Runs, alternately, --pairs times: the load on one agent (in "a", pinned to the first of
   --agent-cpus) and the same load split over two agents ("a" and "d", each pinned to its own CPU
   of --agent-cpus). The coordinator is tests/tools/agent_driver (src/agent/'s API, the one the
   runner will call); the agents are `benchctl agent` started with
   `ip netns exec <host> taskset -c <cpu> benchctl agent` (the exec transport: no ssh, so no
   cipher in the way).
3. For each run: merged requests/sec, the exact count (nginx's access-log lines against the
   merged completed + in-flight-at-stop requests, which must be equal), and the coordinator's
   overhead in milliseconds: connecting each agent (start to hello), measuring clock offsets,
   the barrier (load_prepare until every agent is ready, then the margin before the agreed
   start), collecting (first result to last) and merging.
4. Prints each run as it ends, then the medians; --json-out keeps everything.

Needs root (network namespaces), iproute2, nginx-light, taskset; and the agent_driver target
built beside benchctl (cmake --build build --target benchctl agent_driver). See bench/README.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

import netns_harness  # noqa: E402  (the test network, reused as is)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--benchctl", default=os.environ.get("BENCHCTL")
                        or os.path.join(REPO, "build", "benchctl"))
    parser.add_argument("--driver", default=None,
                        help="agent_driver (default: tests/agent_driver beside --benchctl)")
    parser.add_argument("--pairs", type=int, default=5, help="alternated one/two-agent pairs")
    parser.add_argument("-c", "--connections", type=int, default=50, help="in total")
    parser.add_argument("-t", "--threads", type=int, default=1, help="per agent")
    parser.add_argument("-d", "--duration", type=float, default=5.0, help="seconds per load")
    parser.add_argument("--agent-cpus", default="0,1", help="one CPU per agent: a's, d's")
    parser.add_argument("--server-cpus", default="1", help="nginx's CPUs (taskset list)")
    parser.add_argument("--json-out", help="write every run's figures here")
    return parser.parse_args()


class PinnedNginx(netns_harness.NamespacedNginx):
    """The test nginx, its process pinned to the server CPUs (workers inherit the affinity)."""

    def __init__(self, network, cpus):
        super().__init__(network, "web")
        self.cpus = cpus

    def __enter__(self):
        super().__enter__()
        subprocess.run(["taskset", "-a", "-p", "-c", self.cpus, str(self.proc.pid)],
                       check=True, capture_output=True)
        for child in subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True,
                                    text=True).stdout.split():
            subprocess.run(["taskset", "-a", "-p", "-c", self.cpus, child], capture_output=True)
        return self


def agent(network, host, cpu, benchctl):
    return {"name": host,
            "exec": [netns_harness.IP, "netns", "exec", network.namespace(host), "taskset", "-c",
                     str(cpu), benchctl, "agent"]}


def run_once(args, network, nginx, hosts, cpus, tmp):
    plan = {"agents": [agent(network, h, c, args.benchctl) for h, c in zip(hosts, cpus)],
            "load": {"url": nginx.url(), "threads": args.threads,
                     "connections": args.connections, "duration_sec": args.duration}}
    path = os.path.join(tmp, "plan.json")
    with open(path, "w") as f:
        json.dump(plan, f)
    nginx.clear_log()
    proc = subprocess.run([args.driver, path], capture_output=True, text=True,
                          timeout=args.duration + 60)
    if proc.returncode != 0:
        raise RuntimeError(f"agent_driver failed ({proc.returncode}): {proc.stderr}")
    out = json.loads(proc.stdout)
    merged = out["load"]["merged"]
    r = merged["requests"]
    reached = r["completed"] + r["in_flight_at_stop"]
    logged = nginx.settled_count(at_least=reached)
    overhead = out["load"]["overhead"]
    return {"agents": len(hosts), "requests_per_sec": merged["requests_per_sec"],
            "completed": r["completed"], "in_flight_at_stop": r["in_flight_at_stop"],
            "failed": r["failed"], "nginx_lines": logged, "exact": logged == reached,
            "connect_ms": max(out["connect_ms"].values()),
            "clock_ms": overhead["clock_ms"], "prepare_ms": overhead["prepare_ms"],
            "margin_ms": overhead["margin_ms"], "collect_ms": overhead["collect_ms"],
            "merge_ms": overhead["merge_ms"],
            "start_skew_us": [round(a["start_skew_ns"] / 1000) for a in out["load"]["agents"]]}


def print_run(number, run):
    print(f"{number:>3} {run['agents']} agent{'s' if run['agents'] > 1 else ' '} "
          f"{run['requests_per_sec']:>9.0f} req/s  completed {run['completed']:>7} "
          f"+ in flight {run['in_flight_at_stop']:>3} = nginx {run['nginx_lines']:>7} "
          f"{'exact' if run['exact'] else 'MISMATCH'}  connect {run['connect_ms']:.1f} ms, "
          f"clock {run['clock_ms']:.2f}, prepare {run['prepare_ms']:.2f}, "
          f"margin {run['margin_ms']:.1f}, collect {run['collect_ms']:.2f}, "
          f"merge {run['merge_ms']:.2f} ms, skew {run['start_skew_us']} us", flush=True)


def summarise(runs, agents):
    mine = [r for r in runs if r["agents"] == agents]
    keys = ("requests_per_sec", "connect_ms", "clock_ms", "prepare_ms", "margin_ms",
            "collect_ms", "merge_ms")
    return {k: statistics.median(r[k] for r in mine) for k in keys} | {
        "exact": all(r["exact"] for r in mine), "runs": len(mine)}


def main():
    args = parse_args()
    args.driver = args.driver or os.path.join(os.path.dirname(args.benchctl), "tests",
                                              "agent_driver")
    cpus = args.agent_cpus.split(",")
    if len(cpus) < 2:
        sys.exit("--agent-cpus needs two CPUs, one per agent")
    runs = []
    tmp = tempfile.mkdtemp(prefix="benchctl-bench-agents-")
    with netns_harness.Network(["a", "d", "web"]) as network, \
            PinnedNginx(network, args.server_cpus) as nginx:
        print(f"nginx 1 worker on CPU {args.server_cpus}; agents: a on CPU {cpus[0]}, d on CPU "
              f"{cpus[1]}; -c {args.connections} in total, -t {args.threads} per agent, "
              f"{args.duration:g} s per load; {os.cpu_count()} CPUs", flush=True)
        run_once(args, network, nginx, ["a"], cpus[:1], tmp)  # warm-up, discarded
        for pair in range(args.pairs):
            order = [(["a"], cpus[:1]), (["a", "d"], cpus[:2])]
            if pair % 2 == 1:
                order.reverse()
            for hosts, pinned in order:
                runs.append(run_once(args, network, nginx, hosts, pinned, tmp))
                print_run(len(runs), runs[-1])
                if args.json_out:
                    with open(args.json_out, "w") as f:
                        json.dump({"args": vars(args), "runs": runs}, f, indent=1)
    one, two = summarise(runs, 1), summarise(runs, 2)
    for name, s in (("one agent", one), ("two agents", two)):
        print(f"median, {name} ({s['runs']} runs): {s['requests_per_sec']:.0f} req/s, every count "
              f"{'exact' if s['exact'] else 'NOT exact'}; connect {s['connect_ms']:.1f} ms, "
              f"clock {s['clock_ms']:.2f} ms, prepare {s['prepare_ms']:.2f} ms, margin "
              f"{s['margin_ms']:.1f} ms, collect {s['collect_ms']:.2f} ms, merge "
              f"{s['merge_ms']:.2f} ms")
    print(f"two agents / one agent, median req/s: "
          f"{two['requests_per_sec'] / one['requests_per_sec']:.3f}")
    return 0 if one["exact"] and two["exact"] else 1


if __name__ == "__main__":
    sys.exit(main())
