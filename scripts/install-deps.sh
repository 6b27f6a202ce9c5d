#!/usr/bin/env bash
# Installs what benchctl needs on Debian 12, by profile:
#   scripts/install-deps.sh run    build benchctl and run the shipped scenarios (README's quickstart)
#   scripts/install-deps.sh test   all of `run`, plus what the tests and CI's checks need (the
#                                  default: Catch2, nginx, wrk, jsonschema, Chromium, clang-format)
# Idempotent: installs only the packages that are missing, and does nothing when none is (no
# apt-get update then either, so a second call takes a fraction of a second).
set -euo pipefail

profile=${1:-test}

run_packages=(
  # build
  build-essential cmake pkg-config
  nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libfmt-dev libmstch-dev libhttp-parser-dev
  # targets of the scenarios
  python3-django gunicorn python3-gevent python3-uvicorn python3-hypercorn python3-tornado python3-uvloop
)

test_packages=(
  # unit tests
  catch2
  # peers and servers the tests and benchmarks drive on 127.0.0.1
  wrk nginx-light
  # ps, to see that no process of a test or a run outlives it
  procps
  # tests: the result schemas in docs/ are checked with jsonschema; bench/ measures RSS with GNU time
  python3-jsonschema time
  # tests: the HTML report is rendered in headless Chromium (the heaviest package by far: about
  # 100 MB to download, which is why the quickstart's `run` profile leaves it out)
  chromium
  # CI's format check (.ci/run)
  clang-format
)

case "$profile" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
  *)
    echo "install-deps: unknown profile '$profile'; use 'run' (quickstart) or 'test' (tests, CI)" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages of profile '$profile' present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts nginx on port 80 at install; benchctl's tests start their own instances.
if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
  $sudo systemctl stop nginx || true
fi
echo "install-deps: done"
