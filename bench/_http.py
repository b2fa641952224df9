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
