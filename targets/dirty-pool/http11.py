"""A small HTTP/1.1 server on asyncio streams: enough for a benchmark front, nothing more.

Keep-alive (HTTP/1.1 by default, HTTP/1.0 on request), pipelined requests answered in order,
bodies by Content-Length only (chunked request bodies get 501), every response with a
Content-Length. Limits: 64 KiB of request head, 1 MiB of body; over them the answer is 431 or
413 and the connection closes. The handler is an async callable taking a Request and returning
(status, content_type, body bytes).
"""
import asyncio
import urllib.parse

MAX_BODY = 1024 * 1024
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
           413: "Payload Too Large", 431: "Request Header Fields Too Large",
           500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


class Request:
    """One parsed request: method, path, query (dict of lists), headers (lower-case), body."""

    def __init__(self, method, target, version, headers, body):
        self.method = method
        split = urllib.parse.urlsplit(target)
        self.path = urllib.parse.unquote(split.path)
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        self.version = version
        self.headers = headers
        self.body = body

    def keep_alive(self):
        """Whether the client lets the connection stay open after this request."""
        connection = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


class _Reject(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


async def _read_request(reader):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if e.partial.strip():
            raise _Reject(400, "connection closed inside the request head") from None
        return None
    except asyncio.LimitOverrunError:
        raise _Reject(431, "request head over 64 KiB") from None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _Reject(400, f"bad request line {lines[0][:100]!r}")
    headers = {}
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise _Reject(400, f"bad header line {line[:100]!r}")
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise _Reject(501, "chunked request bodies are not supported")
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise _Reject(400, "bad Content-Length") from None
    if length < 0 or length > MAX_BODY:
        raise _Reject(413, f"body over {MAX_BODY} bytes")
    body = await reader.readexactly(length) if length else b""
    return Request(parts[0], parts[1], parts[2], headers, body)


def _response(status, content_type, body, keep_alive):
    head = (f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n")
    return head.encode("latin-1") + body


async def serve_connection(reader, writer, handler, stopping):
    """Answers the requests of one connection until it closes, an error, or `stopping` is set."""
    try:
        while not stopping.is_set():
            try:
                request = await _read_request(reader)
            except _Reject as e:
                writer.write(_response(e.status, "text/plain", f"{e}\n".encode(), False))
                await writer.drain()
                return
            if request is None:
                return
            status, content_type, body = await handler(request)
            keep_alive = request.keep_alive() and not stopping.is_set()
            writer.write(_response(status, content_type, body, keep_alive))
            await writer.drain()
            if not keep_alive:
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        pass  # the client went away mid-request: nothing to answer
    finally:
        writer.close()
