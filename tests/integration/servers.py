"""Misbehaving HTTP/1.1 servers for the integration tests, one per KIND.

    python3 servers.py KIND PORT [--log FILE] [--period-ms P] [--freeze-ms F] [--gap-ms G]

Listens on 127.0.0.1:PORT (0 picks a free port), prints "ready PORT" on stdout once listening,
then serves until killed. Every KIND is one single-threaded selectors loop:

  stall      reads requests, never answers
  reset      answers with headers announcing 1000 body bytes, sends 10, then closes with
             SO_LINGER 0 so the peer gets a RST
  freeze     answers each request at once with a small 200, but every P ms blocks its whole loop
             with time.sleep(F ms): the injected delay; each freeze is logged
  chunked    answers 200 with a chunked body (headers and chunks in separate writes)
  close      answers 200 with "Connection: close", then closes the connection
  malformed  answers with a garbage status line and keeps the connection open
  early      sends a whole response as soon as it accepts, then never reads
  double     answers each request with two whole responses, the second G ms after the first
             (0: both in one write)

The --log file gets one line per event, flushed at once:
  request                           a complete request was read
  freeze START END                  a freeze, CLOCK_MONOTONIC seconds (the test shares the clock)
The server dies with its parent (PR_SET_PDEATHSIG).
"""

import argparse
import ctypes
import selectors
import signal
import socket
import struct
import sys
import time

OK_BODY = b"hello\n"
OK_RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\n"
               + OK_BODY)


class Connection:
    """Bytes read from one client, split into requests (headers plus Content-Length body)."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def take_requests(self):
        """Removes and counts the complete requests buffered so far."""
        count = 0
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return count
            head = self.buffer[:end].decode("latin-1")
            body_length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    body_length = int(value.strip())
            total = end + 4 + body_length
            if len(self.buffer) < total:
                return count
            self.buffer = self.buffer[total:]
            count += 1


class Server:
    def __init__(self, kind, port, log, period_ms, freeze_ms, gap_ms=0.0):
        self.kind = kind
        self.gap = gap_ms / 1000.0
        self.delayed = []  # "double": (due, socket) for each second response still to send
        self.log = log
        self.period = period_ms / 1000.0
        self.freeze = freeze_ms / 1000.0
        self.selector = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(1024)
        self.selector.register(self.listener, selectors.EVENT_READ, None)
        self.silent = []  # "early": connections kept open and never read

    def event(self, *fields):
        if self.log:
            self.log.write(" ".join(str(f) for f in fields) + "\n")

    def serve_forever(self):
        next_freeze = time.monotonic() + self.period if self.kind == "freeze" else None
        while True:
            dues = [due for due, _ in self.delayed]
            if next_freeze is not None:
                dues.append(next_freeze)
            timeout = max(0.0, min(dues) - time.monotonic()) if dues else None
            for key, _ in self.selector.select(timeout):
                if key.data is None:
                    self.accept()
                else:
                    self.read(key.data)
            self.send_delayed()
            if next_freeze is not None and time.monotonic() >= next_freeze:
                start = time.monotonic()
                time.sleep(self.freeze)
                self.event("freeze", f"{start:.6f}", f"{time.monotonic():.6f}")
                # Keep the schedule periodic from the start; skip a period only when overrun.
                while next_freeze <= time.monotonic():
                    next_freeze += self.period

    def accept(self):
        sock, _ = self.listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.kind == "early":
            # A whole response before any request, then never a byte read: a client writing a
            # large request is still writing when the response arrives.
            sock.sendall(OK_RESPONSE)
            self.event("early")
            self.silent.append(sock)
            return
        self.selector.register(sock, selectors.EVENT_READ, Connection(sock))

    def send_delayed(self):
        now = time.monotonic()
        for due, sock in [entry for entry in self.delayed if entry[0] <= now]:
            self.delayed.remove((due, sock))
            try:
                sock.sendall(OK_RESPONSE)
                self.event("second")
            except OSError:
                pass

    def read(self, conn):
        try:
            data = conn.sock.recv(65536)
        except ConnectionError:
            data = b""
        if not data:
            self.drop(conn)
            return
        conn.buffer += data
        for _ in range(conn.take_requests()):
            self.event("request")
            if not self.answer(conn):
                return

    def drop(self, conn, reset=False):
        self.selector.unregister(conn.sock)
        if reset:
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.sock.close()

    def answer(self, conn):
        """Responds to one request; returns False when the connection is gone."""
        sock = conn.sock
        try:
            if self.kind == "stall":
                return True
            if self.kind in ("freeze",):
                sock.sendall(OK_RESPONSE)
                return True
            if self.kind == "double":
                if self.gap > 0:
                    sock.sendall(OK_RESPONSE)
                    self.delayed.append((time.monotonic() + self.gap, sock))
                else:
                    sock.sendall(OK_RESPONSE + OK_RESPONSE)
                    self.event("second")
                return True
            if self.kind == "reset":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10)
                self.drop(conn, reset=True)
                return False
            if self.kind == "chunked":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n")
                sock.sendall(b"5\r\nhello\r\n")
                sock.sendall(b"8\r\n, world\n\r\n")
                sock.sendall(b"0\r\n\r\n")
                return True
            if self.kind == "close":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 6\r\nConnection: close\r\n\r\n" + OK_BODY)
                self.drop(conn)
                return False
            if self.kind == "malformed":
                sock.sendall(b"HTTP/1.1 OOPS this is not a status line\r\n"
                             b"Content-Length: 0\r\n\r\n")
                return True
        except OSError:
            self.drop(conn)
            return False
        raise ValueError(f"unknown kind {self.kind}")


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["stall", "reset", "freeze", "chunked", "close",
                                         "malformed", "early", "double"])
    parser.add_argument("port", type=int)
    parser.add_argument("--log")
    parser.add_argument("--period-ms", type=float, default=1000.0)
    parser.add_argument("--freeze-ms", type=float, default=200.0)
    parser.add_argument("--gap-ms", type=float, default=0.0)
    args = parser.parse_args()
    die_with_parent()
    log = open(args.log, "a", buffering=1) if args.log else None
    server = Server(args.kind, args.port, log, args.period_ms, args.freeze_ms,
                    args.gap_ms)
    print("ready", server.listener.getsockname()[1], flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
