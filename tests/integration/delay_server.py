"""A tiny HTTP/1.1 target whose every response takes a known time, for `benchctl run` tests.

    delay_server.py PORT --delay-ms MS [--cell ID --slow-cell ID --slow-factor F] [--tag TAG]

Serves "200 ok" with keep-alive on 127.0.0.1:PORT, one thread per connection, each response
sent MS milliseconds after its request arrived (time.sleep: the delay, not the CPU, sets the
pace, so the figures hardly move with the machine's load). When --cell equals --slow-cell, the
delay is multiplied by --slow-factor: a known slowdown of one cell of a matrix, chosen from the
environment (${env:SLOW_CELL}) without editing the matrix. TAG only marks the command line, so
a test can find leftovers. Exits on SIGTERM.
"""

import argparse
import signal
import socket
import sys
import threading
import time

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"


def serve_connection(conn, delay_sec):
    buffer = b""
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buffer += data
            while b"\r\n\r\n" in buffer:
                _, buffer = buffer.split(b"\r\n\r\n", 1)
                time.sleep(delay_sec)
                conn.sendall(RESPONSE)
    except OSError:
        return
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--delay-ms", type=float, required=True)
    parser.add_argument("--cell", default="")
    parser.add_argument("--slow-cell", default="")
    parser.add_argument("--slow-factor", type=float, default=1.0)
    parser.add_argument("--tag", default="")
    args = parser.parse_args()
    delay = args.delay_ms / 1000.0
    if args.cell and args.cell == args.slow_cell:
        delay *= args.slow_factor
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(128)
    print(f"listening on 127.0.0.1:{args.port}, {delay * 1000:.2f} ms per response", flush=True)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve_connection, args=(conn, delay), daemon=True).start()


if __name__ == "__main__":
    main()
