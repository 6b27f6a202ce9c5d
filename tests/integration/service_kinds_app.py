"""The target of test_service_kinds.py: an HTTP server on a Unix socket (behind benchctl's nginx
service) that writes one row into PostgreSQL per request and answers with the table's row count.

    service_kinds_app.py SOCKET_PATH POSTGRES_URL REDIS_URL

At start it connects to POSTGRES_URL with psycopg2 (the URL as benchctl gives it in ${db.url}),
creates the table `hits`, sends redis PING to REDIS_URL (${cache.url}) and prints the answer,
then "listening". Every GET inserts a row and answers "rows N"; the count is also printed, so the
test can compare the rows with the requests the load completed. HTTP/1.0, one request per
connection (nginx opens one per request to an HTTP/1.0 upstream).
"""

import http.server
import os
import socket
import socketserver
import sys
import urllib.parse

import psycopg2


def redis_ping(url):
    parts = urllib.parse.urlparse(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
        conn.sendall(b"PING\r\n")
        return conn.recv(64).decode().strip()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with self.server.db.cursor() as cursor:
            cursor.execute("INSERT INTO hits DEFAULT VALUES")
            cursor.execute("SELECT count(*) FROM hits")
            rows = cursor.fetchone()[0]
        print(f"rows {rows}", flush=True)
        body = f"rows {rows}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def address_string(self):
        return "unix"

    def log_message(self, *args):
        pass


def main():
    socket_path, postgres_url, redis_url = sys.argv[1:4]
    db = psycopg2.connect(postgres_url)
    db.autocommit = True
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS hits (id serial PRIMARY KEY)")
    print(f"redis {redis_ping(redis_url)}", flush=True)
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    server = socketserver.UnixStreamServer(socket_path, Handler)
    server.db = db
    print("listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
