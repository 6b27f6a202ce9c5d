#!/usr/bin/env bash
# The main job until the matrix runner lands: starts a private nginx on a free 127.0.0.1 port,
# drives it with `benchctl load` for a few seconds, prints wrk's layout and keeps the JSON result
# under results/quickstart-<UTC time>/. Expects a build in ./build (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

benchctl=${BENCHCTL:-build/benchctl}
[ -x "$benchctl" ] || { echo "quickstart: $benchctl not found; build first (see README.md)" >&2; exit 2; }

work=$(mktemp -d)
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/logs"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port;
    location / { default_type text/plain; return 200 "hello from nginx\n"; }
  }
}
CONF
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

out="results/quickstart-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
"$benchctl" load "http://127.0.0.1:$port/" -t 2 -c 50 -d 3s --warmup 1s --latency --json "$out/load.json"
echo
echo "quickstart: result document in $out/load.json"
