#!/usr/bin/env bash
# Installs what benchctl needs to build, test and run its scenarios on Debian 12.
# Idempotent: installs only the packages that are missing, and does nothing when none is.
# Usage: scripts/install-deps.sh            (build + tests + scenarios)
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  nlohmann-json3-dev libcli11-dev libyaml-cpp-dev catch2 libfmt-dev libmstch-dev libhttp-parser-dev libpcre2-dev
  # peers and servers the tests and benchmarks drive on 127.0.0.1
  wrk nginx-light procps
  # targets of the scenarios
  python3-django gunicorn python3-gevent python3-uvicorn python3-hypercorn python3-tornado python3-uvloop
  # tests: the result schemas in docs/ are checked with jsonschema; bench/ measures RSS with GNU time
  python3-jsonschema time
  # tests: the HTML report is rendered in headless Chromium
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
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
