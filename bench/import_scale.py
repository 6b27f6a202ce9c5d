#!/usr/bin/python3
"""How `benchctl import` scales with the number of scenarios in one file.

    bench/import_scale.py --benchctl build/benchctl [--counts 5000,20000]

Writes a Markdown file of N wrk scenarios (one `##` heading and one fenced wrk block each) per
count, imports each into a fresh directory, and prints the wall time and the time per scenario.
Linear import keeps the time per scenario flat as N grows. Python 3 stdlib only.
"""

import argparse
import os
import subprocess
import tempfile
import time

BLOCK = """Running 10s test @ http://localhost:8000/myapp/sync/cache_hit
  20 threads and 2000 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    84.83ms   71.62ms 570.10ms   89.29%
    Req/Sec     1.37k   318.64     2.91k    78.31%
  269272 requests in 10.10s, 75.24MB read
Requests/sec:  26658.00
Transfer/sec:      7.45MB
"""


def write_source(path, count):
    with open(path, "w") as f:
        f.write("# Many scenarios\n\n")
        for i in range(count):
            f.write(f"## Scenario {i}\n\n```\n$ wrk ...\n{BLOCK}```\n\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchctl", default="build/benchctl")
    parser.add_argument("--counts", default="5000,20000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="benchctl-import-scale-") as tmp:
        for count in (int(c) for c in args.counts.split(",")):
            source = os.path.join(tmp, f"s{count}.md")
            write_source(source, count)
            started = time.monotonic()
            subprocess.run([args.benchctl, "import", "wrk", source, "--out",
                            os.path.join(tmp, f"out-{count}")], check=True,
                           stdout=subprocess.DEVNULL)
            elapsed = time.monotonic() - started
            print(f"{count:>7} scenarios: {elapsed:7.2f} s, {1e6 * elapsed / count:7.1f} us each")


if __name__ == "__main__":
    main()
