"""A small closed-loop HTTP load generator for loopback benchmarks.

Several processes, each with keep-alive connections, request the same URL for
a fixed time; latencies are collected and summarised. Bounded in time and
only ever aimed at 127.0.0.1.
"""

import http.client
import multiprocessing as mp
import random
import statistics
import time


def _worker(port, paths, headers, seconds, out, unique, seed):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(seed)
    latencies, errors = [], 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        path = paths[0] if len(paths) == 1 else rng.choice(paths)
        start = time.perf_counter()
        target = f"{path}&_={seed}-{len(latencies)}-{errors}" if unique else path
        try:
            conn.request("GET", target, headers={"Host": "127.0.0.1", **headers})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
    out.put((latencies, errors))


def load(
    port: int,
    path: str | list[str],
    *,
    seconds: float,
    concurrency: int,
    unique: bool = False,
    cookie: str = "",
) -> dict:
    """`concurrency` processes request `path` (or one of a list, at random)
    for `seconds`; with `cookie`, as that session."""
    paths = [path] if isinstance(path, str) else list(path)
    headers = {"Cookie": cookie} if cookie else {}
    queue = mp.Queue()
    procs = [
        mp.Process(target=_worker, args=(port, paths, headers, seconds, queue, unique, n))
        for n in range(concurrency)
    ]
    for p in procs:
        p.start()
    latencies, errors = [], 0
    for _ in procs:
        lat, err = queue.get()
        latencies += lat
        errors += err
    for p in procs:
        p.join()
    return summarise(latencies, errors, seconds)


def summarise(latencies: list[float], errors: int, seconds: float) -> dict:
    latencies.sort()
    n = len(latencies)

    def pct(p):
        return latencies[min(n - 1, int(p * n))] * 1000 if n else float("nan")

    return {
        "requests": n,
        "errors": errors,
        "rps": n / seconds,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000 if n else float("nan"),
    }


def start_gunicorn(env: dict, port: int, workers: int, *, log=None, log_level="warning"):
    """gunicorn serving the hall as start.sh does, on loopback; returns once /healthz answers.
    With `log` (a path) its output is appended there, for the soak's reconciliation."""
    import subprocess
    import sys
    from pathlib import Path

    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "hall.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",  # as start.sh
        "--graceful-timeout",
        "30",
        "--log-level",
        log_level,
    ]
    output = {"stdout": log.open("ab"), "stderr": subprocess.STDOUT} if log else {}
    server = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1], env=env, **output)
    wait_until_up(port)
    return server


def wait_until_up(port: int, path: str = "/healthz", timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server on port {port} did not come up")


# ---- a browser-like client: cookies, forms, CSRF, multipart --------------------


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body. `files` maps a field name to a list of
    (file name, bytes, content type)."""
    import uuid

    boundary = uuid.uuid4().hex
    parts = []
    for k, v in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        )
    for k, items in files.items():
        for name, data, ctype in items:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; '
                f'filename="{name}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def hidden_input(html: str, name: str) -> str:
    """The value of the hidden input `name` in a page, or ""."""
    import re

    m = re.search(r'<input[^>]*name="' + re.escape(name) + r'"[^>]*>', html)
    if not m:
        return ""
    v = re.search(r'value="([^"]*)"', m.group(0))
    return v.group(1) if v else ""


class Answer:
    def __init__(self, status: int, headers: dict, body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """One visitor over loopback: keeps its cookies, sends the CSRF header with
    every POST, never follows redirects by itself. A request that gets no answer
    (connection refused or reset) raises OSError or http.client.HTTPException."""

    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.conn

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> Answer:
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
            headers.setdefault("Referer", f"http://127.0.0.1:{self.port}{path}")
        start = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        seconds = time.perf_counter() - start
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                val = rest.split(";", 1)[0]
                if val in ('""', "") or "max-age=0" in value.lower():
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds
        )

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None) -> Answer:
        from urllib.parse import urlencode

        if files:
            body, ctype = multipart(fields, files)
        else:
            body, ctype = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body, {"Content-Type": ctype})

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, username: str, password: str) -> None:
        """Signs in on the staff login page; raises RuntimeError when refused."""
        page = self.get("/staff/login/")
        token = hidden_input(page.text, "csrfmiddlewaretoken")
        answer = self.post(
            "/staff/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if answer.status != 302:
            raise RuntimeError(f"login as {username} answered {answer.status}")


# ---- memory of server processes, from /proc ----------------------------------


def children(pid: int) -> list[int]:
    from pathlib import Path

    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_kb(pid: int) -> int:
    """Resident memory of a process in kB (VmRSS), 0 when it is gone."""
    from pathlib import Path

    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
