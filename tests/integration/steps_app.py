"""The server of test_run_steps.py, as a service (the API a setup step calls) and as a cell's
target (what the load writes through).

    steps_app.py PORT POSTGRES_URL [bind=ADDRESS] [anything else, ignored: values, a tag]

Serves HTTP/1.1 on 127.0.0.1:PORT (ADDRESS:PORT with bind=, e.g. 0.0.0.0 for a target that
another host loads), one thread per connection:
  POST /workers  201 {"id": 65542, "name": "worker"} (what source 004 creates before its cells)
  POST /items    inserts a row into the table `items` (created by a setup step) and answers 201
  GET  /         200 "ok"
  anything else  405 "method not allowed"
POSTGRES_URL is connected to (psycopg2) on the first POST /items only, so the server may start
before the table exists. Prints "listening" once it accepts connections.
"""

import http.server
import json
import socketserver
import sys
import threading

DB_URL = sys.argv[2]
_local = threading.local()


def connection():
    if getattr(_local, "db", None) is None:
        import psycopg2
        _local.db = psycopg2.connect(DB_URL)
        _local.db.autocommit = True
    return _local.db


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response (headers and body buffered, flushed after each request), no Nagle:
    # otherwise a delayed ACK holds every response for 40 ms.
    wbufsize = -1
    disable_nagle_algorithm = True

    def answer(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if self.path == "/workers":
            self.answer(201, json.dumps({"id": 65542, "name": "worker"}), "application/json")
        elif self.path == "/items":
            with connection().cursor() as cursor:
                cursor.execute("INSERT INTO items (name) VALUES ('x')")
            self.answer(201, "created")
        else:
            self.answer(405, "method not allowed")

    def do_GET(self):
        if self.path == "/":
            self.answer(200, "ok")
        else:
            self.answer(405, "method not allowed")

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    bind = [arg[len("bind="):] for arg in sys.argv[3:] if arg.startswith("bind=")]
    server = Server((bind[0] if bind else "127.0.0.1", int(sys.argv[1])), Handler)
    print("listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
