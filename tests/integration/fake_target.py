"""A small HTTP target for `benchctl run` tests, misbehaving on request.

    fake_target.py BEHAVIOUR PORT [--tag TAG] [--after SEC]

Serves HTTP/1.1 keep-alive "200 hello" on 127.0.0.1:PORT (threads, one per connection), unless
BEHAVIOUR says otherwise:

  ok            serves until SIGTERM, then exits 0
  exit          prints "fatal: cannot start" and exits 3 at once, before listening
  never_ready   never listens; sleeps until killed
  die           serves, then exits 1 after --after seconds (in the middle of the load)
  ignore_term   serves and ignores SIGTERM: only SIGKILL stops it
  daemonize     forks a grandchild that calls setsid() and lives on (a daemon), then serves
  hidden_daemon after --after seconds (0: before listening), makes a daemon that nothing but its
                ancestry links to the target: setsid(), a double fork, and execve() with an
                EMPTY environment (no tag of benchctl's); serves meanwhile (never_ready too
                with --no-listen)

Every process of the target (the grandchildren too) carries TAG in its command line, so a test can
look for leftovers in /proc. Unlike the servers in servers.py, these do not die with their
parent: cleaning up is benchctl's job, and the tests check that it did.
"""

import argparse
import os
import signal
import socket
import sys
import threading
import time

RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n")


def serve_connection(conn):
    buffer = b""
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buffer += data
            while b"\r\n\r\n" in buffer:
                _, buffer = buffer.split(b"\r\n\r\n", 1)
                conn.sendall(RESPONSE)
    except OSError:
        return
    finally:
        conn.close()


def serve(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    print(f"listening on 127.0.0.1:{port}", flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve_connection, args=(conn,), daemon=True).start()


def spawn_daemon(tag):
    """Double fork + setsid: the grandchild leaves the process group and its parent exits."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), "grandchild", "0",
                                      "--tag", tag])
        os._exit(0)
    os.wait()


def spawn_hidden_daemon(tag):
    """setsid + double fork + execve with an empty environment: the daemon carries no
    environment variable of benchctl's, is in no process group of the target's, and its parent
    exits, so only the kernel's re-parenting (a subreaper) or a cgroup can still tie it to the
    target. It ignores SIGTERM: only SIGKILL ends it."""
    # The daemon says on this pipe when it ignores SIGTERM, so that its target reports it started
    # only once a stop signal can no longer end it.
    ready_read, ready_write = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.close(ready_read)
            os.set_inheritable(ready_write, True)
            os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), "grandchild",
                                       "0", "--tag", tag, "--ignore-term",
                                       "--ready-fd", str(ready_write)], {})
        os._exit(0)
    os.close(ready_write)
    os.wait()
    os.read(ready_read, 1)
    os.close(ready_read)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("behaviour")
    parser.add_argument("port", type=int)
    parser.add_argument("--tag", default="")
    parser.add_argument("--after", type=float, default=1.0)
    parser.add_argument("--no-listen", action="store_true")
    parser.add_argument("--ignore-term", action="store_true")
    parser.add_argument("--ready-fd", type=int, default=-1)
    args = parser.parse_args()

    if args.behaviour == "grandchild":
        if args.ignore_term:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if args.ready_fd >= 0:
            os.write(args.ready_fd, b"r")
            os.close(args.ready_fd)
        print("grandchild: daemonised", flush=True)
        while True:
            time.sleep(3600)
    if args.behaviour == "exit":
        print("fatal: cannot start", flush=True)
        sys.exit(3)
    if args.behaviour == "never_ready":
        print("starting, slowly", flush=True)
        while True:
            time.sleep(3600)
    if args.behaviour == "ignore_term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if args.behaviour == "daemonize":
        spawn_daemon(args.tag)
    if args.behaviour == "hidden_daemon":
        if args.after <= 0:
            spawn_hidden_daemon(args.tag)
            print("hidden daemon started", flush=True)
        else:
            def later():
                time.sleep(args.after)
                spawn_hidden_daemon(args.tag)
                print("hidden daemon started", flush=True)
            threading.Thread(target=later, daemon=True).start()
        if args.no_listen:
            while True:
                time.sleep(3600)
    if args.behaviour == "die":
        def die():
            time.sleep(args.after)
            print(f"dying after {args.after}s", flush=True)
            os._exit(1)
        threading.Thread(target=die, daemon=True).start()
    serve(args.port)


if __name__ == "__main__":
    main()
