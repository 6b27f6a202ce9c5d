#!/usr/bin/env bash
# Nightly (and pull-request) performance tracking with benchctl, for any CI system: run a matrix
# with repetitions, render its reports, compare it with the main branch's last run, and on main
# keep it in the history and run the nightly gate. docs/ci.md explains each step.
#
# Usage: examples/ci/nightly.sh MATRIX [more benchctl run options, e.g. --set load.duration=5s]
#
# Environment (all optional):
#   BENCHCTL      the benchctl binary            (default: build/benchctl, else benchctl on PATH)
#   RESULTS_DIR   where runs, reports and the history live; keep it between jobs (cache it)
#                                                (default: ci-results)
#   HISTORY_DB    the history file               (default: $RESULTS_DIR/history.db)
#   BASELINE_RUN  the run to compare with        (default: $RESULTS_DIR/main-latest, main's last
#                 recorded run, when there is one)
#   RECORD        yes: add the run to the history, run history check and make it main-latest
#                 (nightly on main); no: compare only (pull requests)   (default: yes)
#   REPEAT        repetitions of every cell      (default: 5, the fewest for compare's U test)
#   COMMIT, BRANCH  labels of the run            (default: from git, when in a repository)
#   COMPARE_ARGS  extra compare options, e.g. "--metric requests_per_sec,p99 --threshold 3"
#
# Exit code: 0 all well; 1 a regression (compare or history check) or a failed cell; 99 a
# threshold of the matrix failed; 2 bad input. Every step runs even when an earlier one found a
# problem, so the reports and the history are always written.
set -uo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 MATRIX [benchctl run options]" >&2
  exit 2
fi
matrix=$1
shift

benchctl=${BENCHCTL:-}
if [ -z "$benchctl" ]; then
  if [ -x build/benchctl ]; then benchctl=build/benchctl; else benchctl=benchctl; fi
fi
results=${RESULTS_DIR:-ci-results}
history=${HISTORY_DB:-$results/history.db}
record=${RECORD:-yes}
repeat=${REPEAT:-5}
commit=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
branch=${BRANCH:-$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)}
baseline=${BASELINE_RUN:-}
if [ -z "$baseline" ] && [ -f "$results/main-latest/manifest.json" ]; then
  baseline=$results/main-latest
fi

status=0
# Keeps the most serious exit code: 2 (bad input) over 1 (regression, failed cell) over 99
# (threshold) over 0.
note_status() {
  local code=$1
  case "$code" in
    0) ;;
    2) status=2 ;;
    1) [ "$status" = 2 ] || status=1 ;;
    *) [ "$status" = 0 ] && status=$code ;;
  esac
}

mkdir -p "$results/runs"
run_dir=$results/runs/$(date -u +%Y%m%dT%H%M%SZ)-$commit
# benchctl never writes into an existing run; two jobs in one second get their own directories.
suffix=1
while [ -e "$run_dir" ]; do
  suffix=$((suffix + 1))
  run_dir=$results/runs/$(date -u +%Y%m%dT%H%M%SZ)-$commit-$suffix
done

echo "== run $matrix (repeat $repeat) into $run_dir"
"$benchctl" run "$matrix" --out "$run_dir" --set "repeat=$repeat" \
  --label "commit=$commit" --label "branch=$branch" "$@"
code=$?
note_status "$code"
if [ ! -f "$run_dir/manifest.json" ]; then
  echo "nightly: the run did not start (exit $code)" >&2
  exit "$code"
fi

echo "== reports"
"$benchctl" report "$run_dir" --format html --output "$run_dir/report.html" || note_status $?
"$benchctl" report "$run_dir" --format md --output "$run_dir/report.md" || note_status $?

if [ -n "$baseline" ]; then
  echo "== compare with $baseline"
  # shellcheck disable=SC2086 # COMPARE_ARGS is a list of options
  "$benchctl" compare "$baseline" "$run_dir" --format md ${COMPARE_ARGS:-} > "$run_dir/compare.md"
  note_status $?
  # shellcheck disable=SC2086
  "$benchctl" compare "$baseline" "$run_dir" ${COMPARE_ARGS:-} | tee "$run_dir/compare.txt"
else
  echo "== compare: no baseline yet (the first recorded run becomes it)"
fi

if [ "$record" = yes ]; then
  echo "== history $history"
  "$benchctl" history add "$run_dir" --db "$history" || note_status $?
  "$benchctl" history check --db "$history" | tee "$run_dir/history-check.txt"
  note_status "${PIPESTATUS[0]}"
  "$benchctl" history report --db "$history" --format html --output "$results/history.html" ||
    note_status $?
  # The run pull requests compare with, replaced only once the new one is complete.
  rm -rf "$results/main-latest.new"
  cp -R "$run_dir" "$results/main-latest.new" &&
    rm -rf "$results/main-latest" && mv "$results/main-latest.new" "$results/main-latest"
fi

echo "== nightly: exit $status (run $run_dir)"
exit "$status"
