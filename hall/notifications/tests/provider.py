"""A stand-in SMS provider: a real HTTP server on loopback that speaks the HTTP
gateway's protocol (see hall.notifications.gateways.HttpGateway), dedupes on
the idempotency key like a real provider must, and can be told to fail.

Used by the tests and by bench/notifications.py; it is the only fake allowed.
"""

import json
import threading
import time
import uuid
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "test-provider-key"


class Provider:
    def __init__(self, *, api_key: str = API_KEY, delay: float = 0.0, hang: float = 1.0):
        self.api_key = api_key
        self.delay = delay  # seconds before each answer (a slow provider)
        self.hang = hang  # how long a "timeout" fault keeps the client waiting
        self.lock = threading.Lock()
        self.messages: dict[str, dict] = {}  # key → the one message delivered for it
        self.requests: Counter = Counter()  # key → requests received
        self.faults: deque = deque()  # fault modes for the next requests, in order
        self.outage_mode = ""
        self.outage_until = 0.0
        self.server = None

    # --- control ---
    def fail_next(self, mode: str, count: int = 1) -> None:
        """mode: "500" (refuse, keep nothing), "timeout" (keep the message, answer
        too late), "notjson" (keep the message, answer with HTML)."""
        with self.lock:
            self.faults.extend([mode] * count)

    def outage(self, mode: str, seconds: float) -> None:
        with self.lock:
            self.outage_mode, self.outage_until = mode, time.monotonic() + seconds

    def start(self) -> str:
        provider = self

        class Handler(_Handler):
            owner = provider

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}/sms/send"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # --- what happened ---
    def delivered_keys(self) -> set[str]:
        with self.lock:
            return set(self.messages)

    def _fault(self) -> str:
        with self.lock:
            if self.faults:
                return self.faults.popleft()
            if self.outage_mode and time.monotonic() < self.outage_until:
                return self.outage_mode
        return ""

    def _keep(self, key: str, data: dict) -> tuple[str, bool]:
        with self.lock:
            self.requests[key] += 1
            if key in self.messages:
                return self.messages[key]["message_id"], False
            message_id = uuid.uuid4().hex
            self.messages[key] = {**data, "message_id": message_id}
            return message_id, True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up waiting (the "timeout" fault) closed its socket.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, Nagle's algorithm
    # and the client's delayed ACK add 40 ms to every answer.
    disable_nagle_algorithm = True
    owner: Provider

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: bytes, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        p = self.owner
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") != f"Bearer {p.api_key}":
            return self._answer(401, b'{"error": "bad api key"}')
        try:
            data = json.loads(raw)
        except ValueError:
            return self._answer(400, b'{"error": "bad json"}')
        key = self.headers.get("Idempotency-Key") or data.get("id")
        if not key:
            return self._answer(400, b'{"error": "no key"}')
        if p.delay:
            time.sleep(p.delay)
        fault = p._fault()
        if fault == "500":
            return self._answer(500, b'{"error": "internal"}')
        message_id, new = p._keep(key, data)
        if fault == "timeout":
            time.sleep(p.hang)
            return self._answer(200, json.dumps({"message_id": message_id}).encode())
        if fault == "notjson":
            return self._answer(200, b"<html>OK</html>", "text/html")
        status = "accepted" if new else "duplicate"
        self._answer(200, json.dumps({"message_id": message_id, "status": status}).encode())
