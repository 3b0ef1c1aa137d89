"""Example app: a standard-library HTTP server that keeps LEAK_BYTES bytes per request (a leak on
purpose). LEAK_BYTES=0 makes it a clean server."""
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LEAK_BYTES = int(os.environ.get("LEAK_BYTES", "4096"))
PORT = int(os.environ.get("PORT", "3000"))
retained = []


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive, as a load generator expects.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold every response for 40 ms.
    disable_nagle_algorithm = True

    def do_GET(self):
        if self.path != "/healthz" and LEAK_BYTES > 0:
            # bytes * n writes every byte, so the pages are resident.
            retained.append(b"\x61" * LEAK_BYTES)
        body = json.dumps({"retained": len(retained)}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"python-leak listening on http://127.0.0.1:{PORT} (leaking {LEAK_BYTES} bytes per request)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
