"""A loopback HTTP server that replays recorded responses, for live-source tests."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

Route = Callable[..., Path | bytes | None]
from urllib.parse import parse_qs, urlparse


class Replay:
    """Serves `route(path) -> fixture file or None` (or `route(path, query) -> file, bytes or None`);
    the first `failures` requests answer `status`."""

    def __init__(self, route: Route, failures: int = 0, status: int = 503):
        self.failures, self.status, self.seen = failures, status, []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                url = urlparse(self.path)
                replay.seen.append((url.path, parse_qs(url.query)))
                if len(replay.seen) <= replay.failures:
                    self.send_response(replay.status)
                    self.end_headers()
                    return
                query = parse_qs(url.query)
                fixture = route(url.path, query) if route.__code__.co_argcount == 2 else route(url.path)
                body = fixture.read_bytes() if isinstance(fixture, Path) else (fixture or b"")
                self.send_response(200 if fixture else 404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
