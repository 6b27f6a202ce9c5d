#!/usr/bin/env bash
# The main job: runs source 000's matrix (scenarios/django-workers.yaml: 4 servers x 2 endpoints
# x sync/async, 14 cells) with a load short enough for a laptop, then renders its Markdown report.
# The scenario file keeps the source's own load (-t20 -c2000 -d10s); --set shortens it here.
# Expects a build in ./build (see README.md). Results: results/quickstart-<UTC time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

benchctl=${BENCHCTL:-build/benchctl}
[ -x "$benchctl" ] || { echo "quickstart: $benchctl not found; build first (see README.md)" >&2; exit 2; }

run_dir="results/quickstart-$(date -u +%Y%m%dT%H%M%SZ)"
"$benchctl" run scenarios/django-workers.yaml --out "$run_dir" \
  --set load.threads=2 --set load.connections=100 --set load.duration=3s \
  --set target.env.WEB_CONCURRENCY=2
"$benchctl" report "$run_dir" --output "$run_dir/report.md"
"$benchctl" report "$run_dir" --format html --output "$run_dir/report.html"
cat "$run_dir/report.md"
echo
echo "quickstart: results in $run_dir/ (report.md, report.html)"
