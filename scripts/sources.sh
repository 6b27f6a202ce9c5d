#!/usr/bin/env bash
# Reproduces the five source documents (README.md "Reproducing the
# sources") short: runs each source's scenario with the short --set its file documents and
# renders each one's report in the source's own shape, into OUT_DIR/<000|001|002|003|004>/ (the
# run directory, with report.md, plus report.json for 001's gunicorn-bench JSON and report.txt for
# 002's siege text). Each run is bounded (SOURCES_RUN_LIMIT seconds, default 600, then SIGINT:
# benchctl stops its targets and services and keeps what it measured). A source that fails does
# not stop the others; the script exits 1 when any failed, 2 on bad usage, 130 on Ctrl-C.
#
#   scripts/sources.sh [OUT_DIR]      default results/sources-<UTC time>
#
# Expects a build in ./build (see README.md) and scripts/install-deps.sh's packages.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

benchctl=${BENCHCTL:-build/benchctl}
limit=${SOURCES_RUN_LIMIT:-600}
[ -x "$benchctl" ] || { echo "sources: $benchctl not found; build first (see README.md)" >&2; exit 2; }
[ $# -le 1 ] || { echo "usage: scripts/sources.sh [OUT_DIR]" >&2; exit 2; }
out=${1:-results/sources-$(date -u +%Y%m%dT%H%M%SZ)}
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "sources: $out is not empty; choose another OUT_DIR (results are never overwritten)" >&2
  exit 2
fi
mkdir -p "$out" || exit 2

failed=()
stop=0
child=

# Ctrl-C or a TERM stops the run in progress (benchctl stops its targets and services) and the set.
on_signal() {
  stop=1
  [ -z "$child" ] || kill -INT "$child" 2>/dev/null
}
trap on_signal INT TERM

# run ID SCENARIO [--set ...]: runs one source's scenario into $out/ID; returns its exit code
# (124 when it ran past the limit).
run() {
  local id=$1 scenario=$2
  shift 2
  echo "sources: $id: benchctl run $scenario $*" >&2
  local started=$SECONDS code
  timeout -s INT -k 30 "$limit" "$benchctl" run "$scenario" --out "$out/$id" "$@" &
  child=$!
  wait "$child"
  code=$?
  while kill -0 "$child" 2>/dev/null; do  # the wait was cut short by a trapped signal
    wait "$child"
    code=$?
  done
  child=
  echo "sources: $id: run exited $code after $((SECONDS - started)) s" >&2
  return "$code"
}

# reports ID CODE "FILE [FLAGS]" ...: renders $out/ID's reports, each into $out/ID/FILE, also
# after a run with failed cells (its reports say which and why); returns CODE, or 1 when a
# report failed.
reports() {
  local id=$1 code=$2 spec
  shift 2
  [ -f "$out/$id/manifest.json" ] || return $((code ? code : 1))
  for spec in "$@"; do
    # shellcheck disable=SC2086  # a spec is a file name and flags, none with spaces
    set -- $spec
    "$benchctl" report "$out/$id" --output "$out/$id/$1" "${@:2}" || code=$((code ? code : 1))
  done
  return "$code"
}

# Each source: its scenario with the short --set its file documents, then its reports.
source_000() {
  run 000 scenarios/django-workers.yaml --set load.threads=2 --set load.connections=100 \
    --set load.duration=3s --set target.env.WEB_CONCURRENCY=2
  reports 000 $? "report.md"
}
source_001() {
  run 001 scenarios/gunicorn-dirty.yaml --set load.requests=20 --set load.connections=10
  reports 001 $? "report.json --format json --style gunicorn-bench --scenario-axis scenario" \
    "report.md"
}
source_002() {
  run 002 scenarios/tornado-longtask.yaml --set load.duration=5s
  reports 002 $? "report.txt --style siege" "report.md"
}
source_003() {
  run 003 scenarios/express-vs-drf.yaml --set load.iterations=20
  reports 003 $? "report.md --style rounds"
}
source_004() {
  run 004 scenarios/job-api.yaml --set load.duration=2s
  reports 004 $? "report.md --style wrk-commands"
}

started_at=$SECONDS
for id in 000 001 002 003 004; do
  [ "$stop" = 0 ] || break
  "source_$id" || failed+=("$id")
done

echo "sources: ran in $((SECONDS - started_at)) s; results in $out/" >&2
if [ "$stop" != 0 ]; then
  echo "sources: interrupted" >&2
  exit 130
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "sources: failed: ${failed[*]}" >&2
  exit 1
fi
