"""A local HTTP server for link-check tests: every outcome a real web serves, on 127.0.0.1 only."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3.0

ROUTES: dict[str, tuple[int, str]] = {  # path -> (status, Location)
    "/ok": (200, ""),
    "/moved": (301, "/moved-again"),
    "/moved-again": (302, "/ok"),
    "/gone": (404, ""),
    "/removed": (410, ""),
    "/loop-a": (302, "/loop-b"),
    "/loop-b": (302, "/loop-a"),
    "/to-file": (302, "file:///etc/passwd"),
    "/short-alive": (301, "/ok"),
    "/short-dead": (404, ""),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            status, location = 200, ""
        else:
            status, location = ROUTES.get(self.path, (404, ""))
        body = b"<html>hlexplore test page</html>"
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker stops reading after the headers, or gave up on /slow

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving() -> Iterator[tuple[str, list[str]]]:
    """(base address, the paths requested so far)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
