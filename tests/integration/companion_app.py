"""A small HTTP/1.1 server for the companion tests: listens on 127.0.0.1:<port> (argv[1]) and
answers every GET with 200 "ok" (keep-alive), printing one line "served <path>" per request to
stdout (the cell's log), so that a test can count what reached it behind a proxy."""

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        # Counted before it answers (the cell stops the app right after the last answer), in one
        # write under a lock: print() from several threads may interleave its line and newline.
        with LOCK:
            sys.stdout.write(f"served {self.path}\n")
            sys.stdout.flush()
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    print("listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
