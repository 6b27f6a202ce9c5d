#!/bin/sh
# Runs app.js under PM2 in the foreground (pm2-runtime, as in source 003's containers).
#   serve.sh fork         one process: `pm2-runtime start app.js`
#   serve.sh cluster N    PM2 cluster mode with N instances: `pm2-runtime start app.js -i N`
# PORT and DATABASE_URL (or PG*) pass through to app.js. PM2 keeps its state in PM2_HOME: a
# fresh temporary directory per run (removed at exit) unless PM2_HOME is set.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pm2_runtime="$here/node_modules/.bin/pm2-runtime"
case "${1:-}" in
  fork) set -- ;;
  cluster)
    case "${2:-}" in
      [1-9]|[1-9][0-9]) set -- -i "$2" ;;
      *) echo "serve.sh: cluster needs an instance count (1..99), e.g. serve.sh cluster 2" >&2; exit 2 ;;
    esac ;;
  *) echo "usage: serve.sh fork | serve.sh cluster N" >&2; exit 2 ;;
esac
if [ ! -x "$pm2_runtime" ]; then
  echo "serve.sh: $pm2_runtime is missing; run scripts/install-deps.sh" \
       "(or npm ci --prefix targets/express-tasks)" >&2
  exit 2
fi
if [ -z "${PM2_HOME:-}" ]; then
  PM2_HOME=$(mktemp -d "${TMPDIR:-/tmp}/express-tasks-pm2.XXXXXX")
  export PM2_HOME
  trap 'rm -rf "$PM2_HOME"' EXIT
fi
# pm2-runtime runs PM2's daemon inside itself, in this process group; the shell stays to pass
# SIGTERM/SIGINT on (when only it is signalled) and to remove PM2_HOME afterwards.
"$pm2_runtime" start "$here/app.js" --name express-tasks "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT
# A wait cut short by the trapped signal returns 128+N while pm2-runtime is still stopping its
# apps: wait again until it has exited (a zombie still answers kill -0) and keep its own status.
status=0
wait "$child" || status=$?
while kill -0 "$child" 2>/dev/null; do
  status=0
  wait "$child" || status=$?
done
exit "$status"
