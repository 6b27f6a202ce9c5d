#!/usr/bin/python3
"""Times `benchctl report` on a generated run of 1,000 cells, in Markdown and in HTML.

    bench/report_render.py [--benchctl build/benchctl] [--cells-per-axis 10] [--runs 5]

1. Generates a run directory: three axes of --cells-per-axis values each (10 x 10 x 10 = 1,000
   cells). Every cell file is a real benchctl.cell/1 document: a done cell of the committed test
   run (tests/fixtures/runs/small/) with its parameters, id and throughput changed, histograms
   and timeline kept, so the report does all the work a real run asks of it (histogram decoding,
   percentile curves, timelines, the summary table, 1,000 wrk blocks).
2. Renders it --runs times in each format, alternating md and html, and prints the median and
   range of the wall times.
3. As a peer measured in the same run, times /usr/bin/python3 doing nothing but json.load() of
   the same files, and prints the ratio report/parse: a figure that does not move with the
   machine's speed as much as the absolute time does.

The target (issue #4): under 2 s per format on the 2-core development VM.
"""

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(REPO, "tests", "fixtures", "runs", "small")


def generate_run(directory, per_axis):
    with open(os.path.join(FIXTURE, "manifest.json")) as f:
        manifest = json.load(f)
    template = None
    for entry in manifest["cells"]:
        if entry["status"] == "done":
            with open(os.path.join(FIXTURE, entry["file"])) as f:
                template = json.load(f)
            break
    axes = [{"name": name,
             "values": [{"name": f"{name}{i}", "label": f"{name.title()} {i}", "fields": {}}
                        for i in range(per_axis)]}
            for name in ("server", "worker", "endpoint")]
    os.makedirs(os.path.join(directory, "cells"))
    cells = []
    index = 0
    for a in axes[0]["values"]:
        for b in axes[1]["values"]:
            for c in axes[2]["values"]:
                index += 1
                cell_id = f"{a['name']}.{b['name']}.{c['name']}"
                doc = copy.deepcopy(template)
                doc["cell"] = cell_id
                doc["parameters"] = [dict(v, axis=axis["name"])
                                     for axis, v in zip(axes, (a, b, c))]
                doc["load"]["requests_per_sec"] *= 0.5 + (index % 97) / 97.0
                path = f"cells/{cell_id}.json"
                with open(os.path.join(directory, path), "w") as f:
                    json.dump(doc, f)
                cells.append({"cell": cell_id, "repetition": 1, "status": "done", "file": path,
                              "reason": ""})
    manifest["matrix"]["axes"] = axes
    manifest["run_id"] = os.path.basename(directory)
    manifest["cells"] = cells
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return len(cells)


def time_command(argv):
    started = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def parse_only(directory):
    code = ("import json,os,sys\nd=sys.argv[1]\njson.load(open(os.path.join(d,'manifest.json')))\n"
            "for n in os.listdir(os.path.join(d,'cells')): json.load(open(os.path.join(d,'cells',n)))")
    return time_command(["/usr/bin/python3", "-c", code, directory])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchctl", default=os.path.join(REPO, "build", "benchctl"))
    parser.add_argument("--cells-per-axis", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="benchctl-report-bench-") as tmp:
        run_dir = os.path.join(tmp, "run")
        count = generate_run(run_dir, args.cells_per_axis)
        size = sum(os.path.getsize(os.path.join(run_dir, "cells", n))
                   for n in os.listdir(os.path.join(run_dir, "cells")))
        print(f"generated {count} cells ({size / 1e6:.1f} MB of cell files)")
        times = {"md": [], "html": [], "parse": []}
        for _ in range(args.runs):
            for fmt in ("md", "html"):
                out = os.path.join(tmp, f"report.{fmt}")
                times[fmt].append(time_command([args.benchctl, "report", run_dir, "--format", fmt,
                                                "--output", out]))
            times["parse"].append(parse_only(run_dir))
        parse = statistics.median(times["parse"])
        print(f"peer: python3 json.load of every file: median {parse:.3f} s")
        for fmt in ("md", "html"):
            t = times[fmt]
            median = statistics.median(t)
            print(f"benchctl report --format {fmt:4}: median {median:.3f} s "
                  f"(range {min(t):.3f} .. {max(t):.3f}, {args.runs} runs), "
                  f"{median / parse:.2f}x the parse-only peer, "
                  f"{'under' if median < 2.0 else 'OVER'} the 2 s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
