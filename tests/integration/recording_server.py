"""An HTTP/1.1 server that records every request it reads, for the request-model tests.

    python3 recording_server.py PORT --log FILE [--tag TAG]

Listens on 127.0.0.1:PORT (0 picks a free port), prints "ready PORT" on stdout once listening,
then serves until killed, one thread per connection, keep-alive unless the client says close.
The --log file gets one JSON object a line, flushed at once:

  {"event": "accept"}                                   a connection was accepted
  {"event": "request", "method", "path", "headers", "body", "status", "id"}
                                                        a request was answered; body as text

Routes: POST /items creates an item (201, {"id": N}, Location: /items/N, ids start at 1001 so
that a guessed id is a 404); GET|PUT|DELETE /items/N answers 200 ({"id": N}) when the server
created N, else 404; anything else answers 200 "ok". The server dies with its parent.
"""

import argparse
import ctypes
import json
import signal
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler


class State:
    """What every connection shares: the log and the ids created so far."""

    def __init__(self, log_path):
        self.lock = threading.Lock()
        self.log = open(log_path, "a", encoding="utf-8")
        self.next_id = 1001
        self.ids = set()

    def write(self, record):
        with self.lock:
            self.log.write(json.dumps(record) + "\n")
            self.log.flush()

    def create(self):
        with self.lock:
            new_id = self.next_id
            self.next_id += 1
            self.ids.add(new_id)
            return new_id

    def exists(self, item_id):
        with self.lock:
            return item_id in self.ids


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 65536  # one write per response (flushed by handle_one_request): no delayed ACKs
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _answer(self, status, body, headers=()):
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state = self.server.state
        path = self.path.split("?", 1)[0]
        item_id = None
        if self.command == "POST" and path == "/items":
            item_id = state.create()
            status, answer = 201, json.dumps({"title": "x", "id": item_id, "tags": [1, 2]})
            extra = [("Location", f"/items/{item_id}")]
        elif path.startswith("/items/"):
            tail = path[len("/items/"):]
            known = tail.isdigit() and state.exists(int(tail))
            status, answer, extra = (200, json.dumps({"id": int(tail)}), []) if known \
                else (404, "{}", [])
        else:
            status, answer, extra = 200, "\"ok\"", []
        state.write({"event": "request", "method": self.command, "path": self.path,
                     "headers": {k.lower(): v for k, v in self.headers.items()},
                     "body": body.decode("utf-8", errors="replace"), "status": status,
                     "id": item_id})
        self._answer(status, answer, extra)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def get_request(self):
        pair = super().get_request()
        self.state.write({"event": "accept"})
        return pair


def die_with_parent():
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--log", required=True)
    parser.add_argument("--tag", help="ignored: marks the process for a test's final sweep")
    args = parser.parse_args()
    die_with_parent()
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args.log)
    print(f"ready {server.server_address[1]}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
