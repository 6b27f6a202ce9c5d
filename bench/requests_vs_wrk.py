#!/usr/bin/python3
"""Templated requests: benchctl against wrk with a Lua request(), and against its own fixed one.

    bench/requests_vs_wrk.py [--benchctl build/benchctl] [--pairs 5] [-t 1] [-c 50] [-d 5s]

1. Writes a data set of --rows rows (id, title; titles hold spaces, so both clients
   percent-encode them) as CSV for benchctl and as a Lua table for wrk.
2. Starts nginx as bench/load_vs_wrk.py does (1 worker pinned to the server CPU, `return 200`).
3. Runs, --pairs times and in this order, each pinned to the client CPU:
   - wrk with a Lua script whose request() picks a random row and builds
     GET /items/<id>?q=<title, percent-encoded>&n=<random 1..1000>;
   - benchctl load --script with the same request as a template with 3 placeholders
     (path: "/items/{{rows.id}}?q={{rows.title}}&n={{random.int(1,1000)}}", pick: random);
   - benchctl load of one fixed URL of the same shape.
4. Prints each run, then the medians of the per-round ratios: benchctl templated / wrk+Lua in
   requests per client CPU-second (goal >= 1.2) and requests/sec, and benchctl templated /
   benchctl fixed in requests/sec (goal >= 0.8) and requests per CPU-second.

Python 3 stdlib only; reuses bench/load_vs_wrk.py's nginx and client measurement. See
bench/README.md.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load_vs_wrk as base  # noqa: E402

WORDS = ("alpha", "beta", "gamma", "delta", "task", "report", "fix", "ship", "review", "plan")

LUA = """\
local rows = dofile("{rows}")
local count = #rows
math.randomseed(os.time())
local function encode(s)
  return (s:gsub("[^A-Za-z0-9%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  local row = rows[math.random(count)]
  local path = "/items/" .. row[1] .. "?q=" .. encode(row[2]) .. "&n=" .. math.random(1000)
  return wrk.format("GET", path)
end
"""

SCRIPT = """\
data:
  rows: {{file: {csv}, pick: random}}
path: "/items/{{{{rows.id}}}}?q={{{{rows.title}}}}&n={{{{random.int(1,1000)}}}}"
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--benchctl", default=os.environ.get("BENCHCTL")
                        or os.path.join(base.REPO, "build", "benchctl"))
    parser.add_argument("--wrk", default="/usr/bin/wrk")
    parser.add_argument("--nginx", default="/usr/sbin/nginx")
    parser.add_argument("--pairs", type=int, default=5, help="rounds of the three clients")
    parser.add_argument("-t", "--threads", type=int, default=1)
    parser.add_argument("-c", "--connections", type=int, default=50)
    parser.add_argument("-d", "--duration", default="5s")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--server-cpus")
    parser.add_argument("--client-cpus")
    parser.add_argument("--json-out", help="also write every figure to this file")
    args = parser.parse_args()
    args.nginx_workers, args.rss_connections, args.warmup_duration = 1, 0, "2s"
    return args


def write_data(directory, count):
    """The data set as CSV (benchctl) and as a Lua file returning {{id, title}, ...} (wrk)."""
    rng = random.Random(1)
    rows = [(str(i), " ".join(rng.choice(WORDS) for _ in range(3))) for i in range(1, count + 1)]
    csv_path, lua_rows = os.path.join(directory, "rows.csv"), os.path.join(directory, "rows.lua")
    with open(csv_path, "w") as f:
        f.write("id,title\n" + "".join(f"{i},{t}\n" for i, t in rows))
    with open(lua_rows, "w") as f:
        f.write("return {\n" + "".join(f'{{"{i}", "{t}"}},\n' for i, t in rows) + "}\n")
    script, lua = os.path.join(directory, "script.yaml"), os.path.join(directory, "request.lua")
    with open(script, "w") as f:
        f.write(SCRIPT.format(csv=csv_path))
    with open(lua, "w") as f:
        f.write(LUA.format(rows=lua_rows))
    return script, lua


def run_wrk_lua(args, url, cpus, lua):
    argv = ["taskset", "-c", cpus, args.wrk, "-t", str(args.threads), "-c",
            str(args.connections), "-d", args.duration, "-s", lua, url]
    run = base.run_client(argv, base.seconds(args.duration) + 120)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", run.output, re.M)
    total = re.search(r"^\s+(\d+) requests in ", run.output, re.M)
    if run.code != 0 or not rps or not total:
        base.die(f"wrk failed (exit {run.code}):\n{run.output}")
    problems = re.findall(r"^\s+(Socket errors:.*|Non-2xx or 3xx responses:.*)$", run.output,
                          re.M)
    return base.measurement("wrk+lua", float(rps[1]), int(total[1]), run, problems)


def run_benchctl(args, url, cpus, name, extra):
    with tempfile.TemporaryDirectory() as tmp:
        json_path = os.path.join(tmp, "load.json")
        argv = ["taskset", "-c", cpus, args.benchctl, "load", url, "-t", str(args.threads),
                "-c", str(args.connections), "-d", args.duration, "--json", json_path, *extra]
        run = base.run_client(argv, base.seconds(args.duration) + 120)
        if run.code != 0 or not os.path.exists(json_path):
            base.die(f"benchctl load failed (exit {run.code}):\n{run.output}")
        with open(json_path) as f:
            doc = json.load(f)
    errors = {k: v for k, v in doc["errors"].items() if v}
    problems = [f"errors: {errors}"] if errors else []
    if doc["non_2xx_3xx"]:
        problems.append(f"non-2xx/3xx: {doc['non_2xx_3xx']}")
    return base.measurement(name, doc["requests_per_sec"], doc["requests"]["completed"], run,
                            problems)


def ratio_line(label, ratios, goal):
    median = statistics.median(ratios)
    verdict = "meets" if median >= goal else "MISSES"
    print(f"{label:<52} {median:.3f}  (range {min(ratios):.3f} .. {max(ratios):.3f}; "
          f"goal >= {goal}: {verdict})")
    return median


def main():
    args = parse_args()
    base.check_tools(args)
    server_cpus, client_cpus = base.choose_cpus(args)
    nofile = base.file_limit(wanted=21024, needed=args.connections + 1024)
    results = {"settings": vars(args), "rounds": []}
    with tempfile.TemporaryDirectory(prefix="benchctl-bench-requests-") as tmp, \
            base.Nginx(args.nginx, server_cpus, 1, 20000, nofile) as nginx:
        script, lua = write_data(tmp, args.rows)
        url = nginx.url()
        fixed_url = url + "items/17?q=gamma%20task%20plan&n=512"
        clients = [lambda: run_wrk_lua(args, url, client_cpus, lua),
                   lambda: run_benchctl(args, url, client_cpus, "templ", ["--script", script]),
                   lambda: run_benchctl(args, fixed_url, client_cpus, "fixed", [])]
        print(f"nginx on CPU {server_cpus}; clients on CPU {client_cpus}; -t {args.threads} "
              f"-c {args.connections} -d {args.duration}; {args.pairs} rounds")
        print("warm-up (discarded):")
        for client in clients:
            print(base.describe(client()))
        for i in range(1, args.pairs + 1):
            print(f"round {i}/{args.pairs}:")
            w, t, f = (client() for client in clients)
            for m in (w, t, f):
                print(base.describe(m))
            results["rounds"].append({"wrk_lua": w, "templated": t, "fixed": f})
        rounds = results["rounds"]
        print()
        results["median"] = {
            "templated_vs_wrk_lua_per_cpu_sec": ratio_line(
                "benchctl templated / wrk+Lua, requests per CPU-s:",
                [r["templated"]["requests_per_cpu_sec"] / r["wrk_lua"]["requests_per_cpu_sec"]
                 for r in rounds], 1.2),
            "templated_vs_wrk_lua_per_sec": ratio_line(
                "benchctl templated / wrk+Lua, requests/sec:",
                [r["templated"]["requests_per_sec"] / r["wrk_lua"]["requests_per_sec"]
                 for r in rounds], 0.0),
            "templated_vs_fixed_per_sec": ratio_line(
                "benchctl templated / benchctl fixed, requests/sec:",
                [r["templated"]["requests_per_sec"] / r["fixed"]["requests_per_sec"]
                 for r in rounds], 0.8),
            "templated_vs_fixed_per_cpu_sec": ratio_line(
                "benchctl templated / benchctl fixed, requests per CPU-s:",
                [r["templated"]["requests_per_cpu_sec"] / r["fixed"]["requests_per_cpu_sec"]
                 for r in rounds], 0.8),
        }
        if args.json_out:
            with open(args.json_out, "w") as out:
                json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
