#!/usr/bin/env bash
# Installs what benchctl needs on Debian 12, by profile:
#   scripts/install-deps.sh run    build benchctl and run the shipped scenarios (README's quickstart)
#   scripts/install-deps.sh sources  all of `run`, plus the servers and targets of sources 001-004
#                                  (PostgreSQL, Redis, Node.js and express-tasks' npm packages ...)
#   scripts/install-deps.sh test   all of `sources`, plus what the tests and CI's checks need (the
#                                  default: Catch2, nginx, wrk, jsonschema, Chromium, clang-format)
# Idempotent: installs only the packages that are missing, and does nothing when none is (no
# apt-get update then either, so a second call takes a fraction of a second).
set -euo pipefail

profile=${1:-test}

run_packages=(
  # build
  build-essential cmake pkg-config
  nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libfmt-dev libmstch-dev libhttp-parser-dev
  libsqlite3-dev libpcre2-dev
  # targets of the scenarios
  python3-django gunicorn python3-gevent python3-uvicorn python3-hypercorn python3-tornado python3-uvloop
)

source_packages=(
  # targets of sources 001-004 (targets/dirty-pool, tornado-longtask, drf-tasks, job-api,
  # express-tasks): PostgreSQL, Django REST Framework + psycopg2, aiohttp + asyncpg, Node.js
  # (express-tasks' npm packages are installed below)
  postgresql python3-djangorestframework python3-psycopg2 python3-aiohttp python3-asyncpg nodejs
  # the servers of the matrix service kinds (kind: postgres, redis, nginx)
  redis-server nginx-light
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
  # tests of agents on other hosts (docs/hosts.md): network namespaces joined by veth pairs
  # (iproute2), Debian's sshd in them and the ssh client that reaches them
  iproute2 openssh-server openssh-client
)

case "$profile" in
  run) packages=("${run_packages[@]}") ;;
  sources) packages=("${run_packages[@]}" "${source_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${source_packages[@]}" "${test_packages[@]}") ;;
  *)
    echo "install-deps: unknown profile '$profile'; use 'run' (quickstart), 'sources' (sources 001-004) or 'test' (tests, CI)" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages of profile '$profile' present"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts nginx on port 80, PostgreSQL's main cluster on 5432 and redis on 6379 at
  # install; benchctl's tests and scenarios start their own instances. (A system sshd is left
  # alone: the machine may be reached through it; the tests run their own in network namespaces.)
  if command -v systemctl >/dev/null; then
    for service in nginx postgresql redis-server; do
      if systemctl is-active --quiet "$service" 2>/dev/null; then
        $sudo systemctl stop "$service" || true
      fi
    done
  fi
  echo "install-deps: done"
fi

[ "$profile" = run ] && exit 0

# --- targets/express-tasks (source 003): Express, Knex, pg and PM2 from the npm registry, pinned
# in its package-lock.json; node_modules/ is not committed. Runs `npm ci` only when node_modules
# is missing or older than the lock file. Debian's nodejs ships without npm (NodeSource's has it).
express_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/targets/express-tasks"
if [ ! -f "$express_dir/node_modules/.package-lock.json" ] ||
   [ "$express_dir/package-lock.json" -nt "$express_dir/node_modules/.package-lock.json" ]; then
  if ! command -v npm >/dev/null; then
    $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  echo "install-deps: npm ci --prefix targets/express-tasks"
  npm ci --prefix "$express_dir" --no-audit --no-fund --loglevel=error
else
  echo "install-deps: targets/express-tasks/node_modules up to date"
fi
