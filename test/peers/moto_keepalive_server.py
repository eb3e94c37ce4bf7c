"""moto's server app served with HTTP/1.1 keep-alive, as real AWS endpoints are.

`moto_server` runs the app on werkzeug's development server, which answers every
request with `Connection: close` (and, after each answer, waits 10 ms for stray
request bytes to discard), so every AWS call of a test or benchmark opened a new
TCP connection, unlike against AWS. This entry point serves the same app
(moto.server.main's DomainDispatcherApplication) from the standard library's
threaded HTTP server, one thread per connection, keeping connections open:

- a request's body is read whole (Content-Length or chunked) before the app
  runs, so the next request on the connection starts where it should, whatever
  the app read;
- an answer without Content-Length is buffered and given one, so its end is
  known without closing the connection;
- an idle connection is never closed by the server (a server closing an idle
  socket just as the client reuses it fails that call): clients close theirs.

Usage: python moto_keepalive_server.py -H 127.0.0.1 -p PORT
"""

import argparse
import io
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from moto import backends
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    create_backend_app,
)

# Answers that carry no body (RFC 9110 6.4.1).
NO_BODY_STATUSES = {204, 304}


def wsgi_text(value):
    """A str as WSGI carries it: its UTF-8 bytes, one character each."""
    return value.encode("utf-8").decode("latin-1")


class KeepAliveWsgiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # An answer's head and body are two writes: with Nagle's algorithm the body
    # waits for the client's delayed ACK of the head (40 ms) on a kept-alive
    # connection.
    disable_nagle_algorithm = True
    app = None  # set by serve()

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    # Trailer fields up to the blank line that ends the request.
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = self.headers.get("Content-Length")
        return self.rfile.read(int(length)) if length else b""

    def environ(self, body):
        url = urlsplit(self.path)
        # "//x/y" is a path, not a host (as werkzeug reads it).
        path = f"/{url.netloc}{url.path}" if not url.scheme and url.netloc else url.path
        environ = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": wsgi_text(unquote(path)),
            "QUERY_STRING": wsgi_text(url.query),
            "REQUEST_URI": wsgi_text(self.path),
            "RAW_URI": wsgi_text(self.path),
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_PORT": self.client_address[1],
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
        }
        if body or "Content-Length" in self.headers:
            environ["CONTENT_LENGTH"] = str(len(body))
        for key, value in self.headers.items():
            if "_" in key:
                continue
            key = key.upper().replace("-", "_")
            if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
                continue  # the body is handed over whole: its length is CONTENT_LENGTH
            if key != "CONTENT_TYPE":
                key = f"HTTP_{key}"
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline or len(self.raw_requestline) > 65536:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self.answer(self.read_body())
            self.wfile.flush()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def answer(self, body):
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = status, headers
            return lambda data: chunks.append(data)

        chunks = []
        try:
            result = self.app(self.environ(body), start_response)
            try:
                chunks.extend(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except Exception as e:  # the app failed: say so and start afresh
            self.log_error("moto failed on %s %s: %r", self.command, self.path, e)
            self.close_connection = True
            self.send_error(500)
            return
        code_text, _, reason = started["status"].partition(" ")
        code = int(code_text)
        self.send_response(code, reason or None)
        content = b"".join(chunks)
        has_length = False
        for name, value in started["headers"]:
            lower = name.lower()
            if lower in ("connection", "transfer-encoding", "keep-alive"):
                continue  # this server decides how the connection goes on
            has_length = has_length or lower == "content-length"
            self.send_header(name, value)
        if not has_length and code not in NO_BODY_STATUSES and code >= 200:
            self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD" and code not in NO_BODY_STATUSES:
            self.wfile.write(content)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # As werkzeug's: a burst of new connections is not refused by a short backlog.
    request_queue_size = 128


def remember_moto_modules():
    """moto's dispatcher lists its own package directory on every request
    (list_of_moto_modules: ~180 stat calls, 40% of a DescribeTargetHealth in
    moto 5.2.1); the directory does not change while it runs, so it is read once."""
    scan = getattr(backends, "list_of_moto_modules", None)
    if scan is None:
        return  # another moto: nothing to remember
    modules = tuple(scan())
    backends.list_of_moto_modules = lambda: modules


def serve(host, port):
    remember_moto_modules()
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True  # as moto_server runs it
    KeepAliveWsgiHandler.app = app
    server = Server((host, port), KeepAliveWsgiHandler)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))  # as moto_server sets it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
