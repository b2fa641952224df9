"""A soak that loses nothing: mixed traffic on gunicorn for ten minutes, with
restarts, then a reconciliation against the database and the SMS provider.

    .venv/bin/python bench/soak.py [--duration 600] [--workers 2]

A fresh hall (var/bench/soak.sqlite3, or DATABASE_URL=postgres://… for an
empty PostgreSQL database you created) with the demo data and one bench item
taking a PDF and a PNG online; gunicorn with --workers; one notification
worker (`manage.py run_notifications`) sending SMS to a local HTTP provider
(hall/notifications/tests/provider.py, the HTTP gateway's protocol, deduping on
the idempotency key and counting every request).

Traffic, from client processes over loopback (Python, closed loop with a short
pause: this is about correctness, not peak throughput):
  lookups     the track page with the right and with a wrong phone, and the API
              lookup, for demo cases and the cases the run made
  searches    the item search with everyday words, the guide and an item page
  submissions the apply page (CSRF and the one-time submission token) with a
              fresh PDF and PNG each, and now and then the API; a request that
              gets no answer is sent again with the same token
  decisions   two clerks of the department (window clerk and department admin)
              accepting submitted cases and approving accepted ones, picking
              from the same queue so that they sometimes race for one case
During the run gunicorn gets SIGHUP twice (at 1/6 and 1/3: graceful restart of
its workers) and the notification worker is stopped with SIGTERM and started
again once (at 1/2). The resident memory of the gunicorn workers, the master
and the notification worker is sampled every 10 s.

At the end the outbox is drained, the processes stop, and the run reconciles:
every answered submission is one case with exactly its files (stored bytes
matching the uploaded checksums); every decision answered as done is in the
case's history exactly once and nothing else was added; every queued SMS
reached the provider exactly once, with the provider's id on the row; every
status lookup answered as it should; no 5xx, no traceback in the server log.
Exit status 1 when any check fails.
"""

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _http  # noqa: E402
from applications import setup_env  # noqa: E402

ITEM_NAME = "压力测试事项"
APPLICANT = "压测申请人"  # every applicant of the run: the clerks' queue search
CLERKS = ["scjg_clerk", "scjg_admin"]
PASSWORD = "Quzhou@2026"  # noqa: S105  (hall.org.demo.DEMO_PASSWORD, published; demo mode only)

WORDS = ["营业执照", "食品", "许可", "户口", "社保", "公积金", "建设", "出生", "税务", "压力测试"]
PHONE_PREFIXES = ["138", "139", "150", "186"]


# ---- files ---------------------------------------------------------------------


def make_pdf(tag: str) -> bytes:
    """A one-page PDF a parser reads without repair, unique by `tag`."""
    from hall.core.tests.hostile import _PAGES, _page, raw_pdf

    return raw_pdf(b"<</Type/Catalog/Pages 2 0 R/SoakTag(%s)>>" % tag.encode(), _PAGES, _page())


def make_png(rng: random.Random) -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (16, 16), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(8):
        image.putpixel((rng.randrange(16), rng.randrange(16)), (rng.randrange(256),) * 3)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- the hall -------------------------------------------------------------------


def prepare() -> dict:
    """Migrations, demo data, the bench item. Returns what the clients need."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)  # a fresh hall each run
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    print(f"demo data loaded in {time.perf_counter() - started:.1f}s")
    from hall.cases.models import Case
    from hall.catalogue.models import Material, ServiceItem
    from hall.catalogue.services import item_next_code, item_refresh_search_text
    from hall.org.models import Department

    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name=ITEM_NAME,
        item_type="xk",
        applicant_type="both",
        online_depth=4,
        statutory_days=20,
        promised_days=5,
    )
    pdf = Material.objects.create(item=item, name="申请书", submission="online", sort_order=0)
    png = Material.objects.create(
        item=item, name="经营场所平面图", submission="online", sort_order=1
    )
    item_refresh_search_text(item)
    from hall.org.demo import DEMO_PASSWORD

    assert PASSWORD == DEMO_PASSWORD
    known = list(
        Case.objects.exclude(phone="").order_by("?").values_list("query_number", "phone")[:300]
    )
    codes = list(ServiceItem.objects.published().values_list("code", flat=True)[:200])
    connection.close()
    return {
        "item_code": item.code,
        "pdf_material": pdf.pk,
        "png_material": png.pk,
        "known": known,
        "codes": codes,
    }


def start_server(env: dict, port: int, workers: int, log: Path):
    return _http.start_gunicorn(env, port, workers, log=log, log_level="info")


def start_notifier(env: dict, name: str, log: Path):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_notifications", "--name", name],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


# ---- the clients (no Django in here) -------------------------------------------


class Recorder:
    """What one client saw: (kind, status, seconds, at) per answer, failures to
    answer per kind, and what the reconciliation needs."""

    def __init__(self, name: str):
        self.name = name
        self.answers: list[tuple[str, int, float, float]] = []
        self.unanswered: dict[str, int] = {}
        self.wrong: list[str] = []  # answers that were not what they should be
        self.submissions: list[dict] = []
        self.decisions: list[dict] = []

    def note(self, kind: str, answer) -> None:
        self.answers.append((kind, answer.status, answer.seconds, time.time()))

    def lost(self, kind: str) -> None:
        self.unanswered[kind] = self.unanswered.get(kind, 0) + 1

    def out(self) -> dict:
        return self.__dict__


def client_lookups(port, stop, deadline, known, fresh, out, seed, pause):
    rec, rng = Recorder(f"lookups-{seed}"), random.Random(seed)
    browser = _http.Browser(port)
    numbers = list(known)
    token = ""
    while time.time() < deadline and not stop.is_set():
        while not fresh.empty():
            try:
                numbers.append(fresh.get(timeout=0.1))
            except queue.Empty:
                break
        number, phone = rng.choice(numbers)
        right = rng.random() < 0.6
        asked = phone[-4:] if rng.random() < 0.5 else phone
        if not right:
            asked = f"{int(phone[-4:]) + rng.randrange(1, 9999):04d}"[-4:]
        try:
            if not token:
                page = browser.get("/track/")
                rec.note("track page", page)
                token = _http.hidden_input(page.text, "csrfmiddlewaretoken")
            if rng.random() < 0.7:
                answer = browser.post(
                    "/track/", {"csrfmiddlewaretoken": token, "number": number, "phone": asked}
                )
                kind = "lookup " + ("right phone" if right else "wrong phone")
                rec.note(kind, answer)
                if right and not (
                    answer.status == 302 and f"/applications/{number}/" in answer.location
                ):
                    rec.wrong.append(f"{kind} {number}: {answer.status} {answer.location}")
                if not right and not (answer.status == 200 and "没有找到" in answer.text):
                    rec.wrong.append(f"{kind} {number}: {answer.status}")
                if answer.status == 403:
                    token = ""
            else:
                answer = browser.get(f"/api/v1/applications/{number}?phone={asked}")
                kind = "API lookup"
                rec.note(kind, answer)
                if answer.status != (200 if right else 404):
                    rec.wrong.append(f"{kind} {number} right={right}: {answer.status}")
        except (OSError, _http.http.client.HTTPException):
            rec.lost("lookup")
            token = ""
        time.sleep(pause)
    out.put(rec.out())


def client_searches(port, stop, deadline, codes, out, seed, pause):
    rec, rng = Recorder(f"searches-{seed}"), random.Random(seed)
    browser = _http.Browser(port)
    while time.time() < deadline and not stop.is_set():
        roll = rng.random()
        if roll < 0.7:
            kind, path = "search", f"/search/?q={quote(rng.choice(WORDS))}"
        elif roll < 0.85:
            kind, path = "guide", "/guide/"
        else:
            kind, path = "item page", f"/items/{rng.choice(codes)}/"
        try:
            answer = browser.get(path)
            rec.note(kind, answer)
            if answer.status != 200:
                rec.wrong.append(f"{path}: {answer.status}")
        except (OSError, _http.http.client.HTTPException):
            rec.lost(kind)
        time.sleep(pause)
    out.put(rec.out())


def client_submissions(port, stop, deadline, setup, fresh, out, seed, pause):
    rec, rng = Recorder(f"submissions-{seed}"), random.Random(seed)
    code = setup["item_code"]
    n = 0
    while time.time() < deadline and not stop.is_set():
        n += 1
        browser = _http.Browser(port)  # one applicant, one browser
        tag = f"{seed}-{n}-{uuid.uuid4().hex[:8]}"
        pdf, png = make_pdf(tag), make_png(rng)
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        token = str(uuid.uuid4())
        via_api = rng.random() < 0.25
        fields = {
            "applicant_kind": "person",
            "applicant_name": f"{APPLICANT}{seed}-{n}",
            "id_number": "11010519491231002X",
            "phone": phone,
            "address": "衢州市柯城区示范路 1 号",
            "sms_opt_in": "on",
        }
        files = {
            f"m_{setup['pdf_material']}": [(f"申请书{n}.pdf", pdf, "application/pdf")],
            f"m_{setup['png_material']}": [(f"平面图{n}.png", png, "image/png")],
        }
        number, tries, status = "", 0, 0
        while tries < 5 and not number:
            tries += 1
            try:
                if via_api:
                    kind = "API submission"
                    answer = browser.post(
                        "/api/v1/applications",
                        {**fields, "item_code": code, "idempotency_key": token},
                        files,
                    )
                    rec.note(kind, answer)
                    status = answer.status
                    if answer.status in (200, 201):
                        number = json.loads(answer.body)["query_number"].replace("-", "")
                else:
                    kind = "submission"
                    if "csrftoken" not in browser.cookies or tries > 1:
                        page = browser.get(f"/items/{code}/apply/")
                        rec.note("apply page", page)
                        csrf = _http.hidden_input(page.text, "csrfmiddlewaretoken")
                    answer = browser.post(
                        f"/items/{code}/apply/",
                        {**fields, "csrfmiddlewaretoken": csrf, "submission_token": token},
                        files,
                    )
                    rec.note(kind, answer)
                    status = answer.status
                    m = re.search(r"/applications/([0-9A-Z]+)/receipt/", answer.location)
                    if answer.status == 302 and m:
                        number = m.group(1)
                if not number:
                    rec.wrong.append(f"{kind} answered {answer.status}: {answer.text[:300]}")
                    break
            except (OSError, _http.http.client.HTTPException):
                rec.lost("submission")
                time.sleep(0.5)
        if number and not via_api and rng.random() < 0.1:
            # Pressing submit again: the same token must answer with the same case.
            try:
                again = browser.post(
                    f"/items/{code}/apply/",
                    {**fields, "csrfmiddlewaretoken": csrf, "submission_token": token},
                    files,
                )
                rec.note("submission again", again)
                if number not in again.location:
                    rec.wrong.append(f"second submit of {number}: {again.status} {again.location}")
            except (OSError, _http.http.client.HTTPException):
                rec.lost("submission")
        if number:
            rec.submissions.append(
                {
                    "number": number,
                    "token": token,
                    "phone": phone,
                    "tries": tries,
                    "via": "api" if via_api else "page",
                    "files": sorted(
                        [[setup["pdf_material"], sha(pdf)], [setup["png_material"], sha(png)]]
                    ),
                }
            )
            fresh.put((number, phone))
        elif status == 0:
            # Never answered: the case may or may not exist; the token tells.
            rec.submissions.append({"number": "", "token": token, "tries": tries, "files": []})
        time.sleep(pause)
    out.put(rec.out())


DECISIONS = {
    "accept": ("submitted", "accepted", "已受理。"),
    "approve": ("accepted", "approved", "已作出准予许可决定。"),
}


def client_clerk(port, stop, deadline, username, out, seed, pause):
    rec, rng = Recorder(f"clerk-{username}"), random.Random(seed)
    browser = _http.Browser(port)
    logged_in = False
    while time.time() < deadline and not stop.is_set():
        action = rng.choice(list(DECISIONS))
        source, _, done_message = DECISIONS[action]
        try:
            if not logged_in:
                browser.cookies.clear()
                browser.login(username, PASSWORD)
                logged_in = True
            listing = browser.get(f"/staff/cases/?tab={source}&q={quote(APPLICANT)}")
            rec.note("clerk queue", listing)
            if listing.status != 200:
                rec.wrong.append(f"queue {source}: {listing.status}")
                logged_in = listing.status != 302  # signed out: sign in again
                continue
            pks = [int(p) for p in re.findall(r'href="/staff/cases/(\d+)/"', listing.text)]
            if not pks:
                time.sleep(pause)
                continue
            pk = rng.choice(pks[:5])  # the two clerks sometimes pick the same case
            page = browser.get(f"/staff/cases/{pk}/")
            rec.note("case page", page)
            csrf = _http.hidden_input(page.text, "csrfmiddlewaretoken")
            decision = {"pk": pk, "action": action, "status": 0, "done": None, "at": time.time()}
            rec.decisions.append(decision)
            form = {"csrfmiddlewaretoken": csrf}
            if action == "approve":  # a decision is stated and confirmed
                form.update(opinion="符合法定条件，准予许可。", confirm="on")
            answer = browser.post(f"/staff/cases/{pk}/{action}/", form)
            rec.note(f"decision {action}", answer)
            decision["status"] = answer.status
            if answer.status == 302:
                after = browser.get(answer.location)
                rec.note("case page", after)
                # The message the clerk sees says whether the move was made.
                decision["done"] = done_message in after.text
                if not decision["done"] and "msg-error" not in after.text:
                    rec.wrong.append(f"{action} {pk}: no message after the move")
            else:
                rec.wrong.append(f"{action} {pk}: {answer.status}")
        except (OSError, _http.http.client.HTTPException):
            rec.lost("decision")
        time.sleep(pause)
    out.put(rec.out())


# ---- the run ---------------------------------------------------------------------


class Sampler(threading.Thread):
    """RSS of the gunicorn master, its workers and the notification worker every
    `every` seconds."""

    def __init__(self, master: int, notifier, every: float = 10.0):
        super().__init__(daemon=True)
        self.master, self.notifier, self.every = master, notifier, every
        self.samples: list[dict] = []
        self.halt = threading.Event()
        self.t0 = time.time()

    def sample(self) -> None:
        workers = {pid: _http.rss_kb(pid) for pid in _http.children(self.master)}
        self.samples.append(
            {
                "t": time.time() - self.t0,
                "master": _http.rss_kb(self.master),
                "workers": workers,
                "notifier": _http.rss_kb(self.notifier()),
                "notifier_pid": self.notifier(),
            }
        )

    def run(self):
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(self.every)


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope (per second) of (t, value) points."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (v - mv) for t, v in points) / den if den else 0.0


def hup(server, port: int, timeout: float = 60) -> dict:
    """SIGHUP the master; time a /healthz sent right after it, and wait until
    none of the old workers is left."""
    before = set(_http.children(server.pid))
    started = time.time()
    server.send_signal(signal.SIGHUP)
    time.sleep(0.05)
    probe = _http.Browser(port)
    try:
        first = probe.get("/healthz").seconds
    except (OSError, _http.http.client.HTTPException):
        first = float("nan")
    now = set()
    while time.time() - started < timeout:
        now = set(_http.children(server.pid))
        if now and not (now & before):
            break
        time.sleep(0.2)
    return {
        "before": sorted(before),
        "after": sorted(now),
        "replaced": time.time() - started,
        "probe": first,
    }


def run(args) -> bool:
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    env = setup_env(
        "soak",
        fresh=True,
        extra={
            "NOTIFY_GATEWAY": "http",
            "NOTIFY_DIGEST_HOUR": "-1",
            "NOTIFY_POLL_SECONDS": "0.5",
            "NOTIFY_SENDING_TIMEOUT": "30",
            "MEDIA_ROOT": str(ROOT / "var" / "bench" / "media-soak"),
            # Every client here shares the loopback address: the lookup limits
            # (tested in the suite) would turn the traffic into 429s.
            "LOOKUP_LIMIT_PER_CLIENT": "100000000/60",
            "LOOKUP_LIMIT_PER_NUMBER": "100000000/3600",
            "LOOKUP_MISSES_PER_CLIENT": "100000000/3600",
            "LOOKUP_MISSES_PER_CLIENT_NUMBER": "100000000/3600",
        },
    )
    import shutil

    shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
    setup = prepare()
    from django.db import connection

    from hall.notifications.tests.provider import API_KEY, Provider

    provider = Provider()
    env["NOTIFY_HTTP_URL"] = provider.start()
    env["NOTIFY_HTTP_API_KEY"] = API_KEY
    logs = ROOT / "var" / "bench"
    server_log, notifier_log = logs / "soak-gunicorn.log", logs / "soak-notifier.log"
    server_log.write_bytes(b"")
    notifier_log.write_bytes(b"")
    print(
        f"database: {connection.vendor}; gunicorn with {args.workers} workers on :{args.port}; "
        f"{args.duration:.0f} s of traffic"
    )
    server = start_server(env, args.port, args.workers, server_log)
    notifiers = [start_notifier(env, "soak-1", notifier_log)]
    sampler = Sampler(server.pid, lambda: notifiers[-1].pid)
    sampler.start()

    ctx = mp.get_context("fork")
    stop, out, fresh = ctx.Event(), ctx.Queue(), ctx.Queue()
    t0 = time.time()
    deadline = t0 + args.duration
    pause = args.pause
    procs = []
    for i in range(args.lookups):
        procs.append(
            (client_lookups, (args.port, stop, deadline, setup["known"], fresh, out, 10 + i, pause))
        )
    for i in range(args.searches):
        procs.append(
            (client_searches, (args.port, stop, deadline, setup["codes"], out, 20 + i, pause))
        )
    for i in range(args.submitters):
        procs.append(
            (client_submissions, (args.port, stop, deadline, setup, fresh, out, 30 + i, pause))
        )
    for i, clerk in enumerate(CLERKS[: args.clerks]):
        procs.append((client_clerk, (args.port, stop, deadline, clerk, out, 40 + i, pause)))
    running = [ctx.Process(target=f, args=a, daemon=True) for f, a in procs]
    for p in running:
        p.start()

    events = []
    # Both restarts early, so the last generation of workers lives long enough
    # (two thirds of the run) for its memory to be judged after warm-up.
    plan = [
        (args.duration / 6, "hup"),
        (args.duration / 3, "hup"),
        (args.duration / 2, "notifier"),
    ]
    for at, what in plan if args.restarts else []:
        time.sleep(max(0.0, t0 + at - time.time()))
        if what == "hup":
            sent = time.time() - t0
            h = hup(server, args.port)
            events.append(
                f"{sent:6.1f}s  SIGHUP gunicorn: workers {h['before']} -> {h['after']} "
                f"in {h['replaced']:.1f}s; a /healthz sent right after waited {h['probe']:.1f}s"
            )
        else:
            old, sent = notifiers[-1], time.time() - t0
            old.send_signal(signal.SIGTERM)
            code = old.wait(timeout=60)
            took = time.time() - t0 - sent
            notifiers.append(start_notifier(env, f"soak-{len(notifiers) + 1}", notifier_log))
            events.append(
                f"{sent:6.1f}s  notification worker {old.pid}: SIGTERM, exit {code} after "
                f"{took:.1f}s; started {notifiers[-1].pid}"
            )
        print(events[-1], flush=True)

    results = [out.get() for _ in running]  # each client sends its record when its time is up
    for p in running:
        p.join(timeout=30)
    traffic_seconds = time.time() - t0

    # Let the outbox drain, then stop everything.
    from hall.notifications.models import Notification

    drain_started = time.time()
    while time.time() - drain_started < 120:
        if not Notification.objects.filter(status__in=["queued", "sending"]).exists():
            break
        time.sleep(0.5)
    drained = time.time() - drain_started
    connection.close()
    sampler.halt.set()
    sampler.join()
    sampler.sample()
    notifiers[-1].send_signal(signal.SIGTERM)
    notifiers[-1].wait(timeout=60)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    provider.stop()
    ok = report(args, results, events, sampler, provider, traffic_seconds, drained, server_log)
    return ok


# ---- the figures and the reconciliation ----------------------------------------


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")


def report(args, results, events, sampler, provider, seconds, drained, server_log) -> bool:
    from django.db.models import Count

    from hall.cases.models import Case, CaseFile, StatusChange
    from hall.notifications.models import Notification
    from hall.org.models import User

    answers = [a for r in results for a in r["answers"]]
    unanswered: dict[str, int] = {}
    wrong = [w for r in results for w in r["wrong"]]
    for r in results:
        for k, v in r["unanswered"].items():
            unanswered[k] = unanswered.get(k, 0) + v
    kinds: dict[str, list] = {}
    for kind, status, secs, _at in answers:
        kinds.setdefault(kind, []).append((status, secs))
    print()
    print(f"traffic: {seconds:.0f} s, {len(answers)} answers, {len(answers) / seconds:.1f} req/s")
    print(
        f"{'kind':<24} {'answers':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses"
    )
    for kind in sorted(kinds):
        rows = kinds[kind]
        lat = [s for _, s in rows]
        statuses: dict[int, int] = {}
        for st, _ in rows:
            statuses[st] = statuses.get(st, 0) + 1
        print(
            f"{kind:<24} {len(rows):>8} {len(rows) / seconds:>7.1f} {pct(lat, 0.5):>8.1f} "
            f"{pct(lat, 0.99):>8.1f} {max(lat) * 1000:>8.1f}  "
            + " ".join(f"{k}:{v}" for k, v in sorted(statuses.items()))
        )
    server_errors = sum(1 for _, status, _, _ in answers if status >= 500)
    t0 = sampler.t0
    slow = sorted((at - secs - t0, secs, kind) for kind, _, secs, at in answers if secs > 2)
    if slow:
        print(f"answers slower than 2 s: {len(slow)}, sent at (s into the run):")
        for start, secs, kind in slow[:40]:
            print(f"  {start:7.1f}  {secs:6.1f} s  {kind}")
    print(f"requests without an answer (connection refused/reset): {unanswered or 0}")
    print()
    print("restarts:")
    for e in events:
        print("  " + e)

    checks: list[tuple[str, bool, str]] = []

    # Submissions: every answered one is a case with exactly its files.
    subs = [s for r in results for s in r["submissions"]]
    answered = [s for s in subs if s["number"]]
    cases = {
        c.query_number: c
        for c in Case.objects.filter(query_number__in=[s["number"] for s in answered])
    }
    files_of: dict[int, list] = {}
    for f in CaseFile.objects.filter(case__in=list(cases.values())):
        files_of.setdefault(f.case_id, []).append(f)
    missing, wrong_files, bad_bytes = [], [], []
    for s in answered:
        case = cases.get(s["number"])
        if case is None:
            missing.append(s["number"])
            continue
        stored = files_of.get(case.pk, [])
        if sorted([f.material_id, f.sha256] for f in stored) != s["files"]:
            wrong_files.append(s["number"])
        for f in stored:
            try:
                with f.file.open("rb") as handle:
                    if sha(handle.read()) != f.sha256:
                        bad_bytes.append(f.file.name)
            except OSError:
                bad_bytes.append(f.file.name)
    item_cases = Case.objects.filter(item__name=ITEM_NAME)
    tokens = [s["token"] for s in subs]
    per_token = dict(
        item_cases.filter(submission_token__in=tokens)
        .values_list("submission_token")
        .annotate(n=Count("id"))
        .order_by()
    )
    doubled = sum(1 for v in per_token.values() if v > 1)
    strays = item_cases.exclude(submission_token__in=tokens).count()
    unknown_outcome = [s for s in subs if not s["number"]]
    retried = sum(1 for s in answered if s["tries"] > 1)
    checks.append(
        (
            "submissions",
            not missing and not wrong_files and not bad_bytes and not doubled and not strays,
            f"{len(answered)} answered ({retried} after a retry with the same token, "
            f"{sum(1 for s in answered if s['via'] == 'api')} by the API), "
            f"{len(cases)} cases found, {len(missing)} missing, {len(wrong_files)} with other "
            f"files, {sum(len(v) for v in files_of.values())} files read back, "
            f"{len(bad_bytes)} unreadable or changed, {doubled} tokens with two cases, "
            f"{strays} cases nobody sent, {len(unknown_outcome)} never answered",
        )
    )

    # Decisions: every one answered as done is in the history exactly once, and
    # the clerks' history rows are exactly those.
    decisions = [d for r in results for d in r["decisions"]]
    clerks = dict(User.objects.filter(username__in=CLERKS).values_list("pk", "username"))
    rows = list(
        StatusChange.objects.filter(actor_id__in=clerks, case__item__name=ITEM_NAME).values_list(
            "case_id", "to_status"
        )
    )
    counted: dict[tuple, int] = {}
    for key in rows:
        counted[key] = counted.get(key, 0) + 1
    done = [d for d in decisions if d["done"]]
    refused = [d for d in decisions if d["done"] is False]
    no_answer = [d for d in decisions if d["done"] is None]
    done_keys = [(d["pk"], DECISIONS[d["action"]][1]) for d in done]
    not_once = [k for k in done_keys if counted.get(k, 0) != 1]
    twice = [k for k, v in counted.items() if v > 1]
    extra = (
        set(counted) - set(done_keys) - {(d["pk"], DECISIONS[d["action"]][1]) for d in no_answer}
    )
    checks.append(
        (
            "decisions",
            not not_once and not twice and not extra and len(set(done_keys)) == len(done_keys),
            f"{len(decisions)} sent: {len(done)} done ({sum(d['action'] == 'accept' for d in done)} "
            f"accepted, {sum(d['action'] == 'approve' for d in done)} approved), {len(refused)} "
            f"refused (the other clerk was first), {len(no_answer)} unanswered; history rows by "
            f"the clerks {len(rows)}; done but not in the history exactly once {len(not_once)}, "
            f"history rows twice {len(twice)}, rows nobody was told of {len(extra)}",
        )
    )

    # SMS: every queued message reached the provider exactly once.
    sms = list(
        Notification.objects.filter(channel="sms").values_list(
            "idempotency_key", "status", "provider_message_id"
        )
    )
    by_status: dict[str, int] = {}
    for _, st, _ in sms:
        by_status[st] = by_status.get(st, 0) + 1
    delivered = provider.delivered_keys()
    keys = {k for k, _, _ in sms}
    not_sent = [k for k, st, _ in sms if st not in ("sent", "delivered")]
    not_at_provider = keys - delivered
    unexpected = delivered - keys
    id_differs = [k for k, _, pid in sms if provider.messages.get(k, {}).get("message_id") != pid]
    asked_again = sum(v - 1 for v in provider.requests.values() if v > 1)
    expected_keys = {
        f"case:{d['pk']}:{DECISIONS[d['action']][1]}:sms:1" for d in done
    }  # every case of the run has sms_opt_in and one round
    no_sms = expected_keys - keys
    checks.append(
        (
            "SMS",
            not not_sent
            and not not_at_provider
            and not unexpected
            and not id_differs
            and not no_sms,
            f"{len(sms)} queued ({by_status}), {len(delivered)} delivered at the provider "
            f"(each key once), {len(not_at_provider)} missing, {len(unexpected)} unexpected, "
            f"{asked_again} repeated requests absorbed by the key, {len(id_differs)} rows whose "
            f"provider id differs, {len(no_sms)} decisions without their SMS; outbox drained "
            f"{drained:.1f} s after the traffic",
        )
    )

    log = server_log.read_text(errors="replace")
    tracebacks, timeouts = log.count("Traceback"), log.count("WORKER TIMEOUT")
    error_lines = log.count("[ERROR]")
    checks.append(
        (
            "server errors",
            server_errors == 0 and tracebacks == 0 and timeouts == 0 and error_lines == 0,
            f"{server_errors} answers 5xx; in the gunicorn log {tracebacks} tracebacks, "
            f"{timeouts} worker timeouts, {error_lines} [ERROR] lines",
        )
    )
    checks.append(
        (
            "answers as expected",
            not wrong,
            f"{len(wrong)} unexpected answers" + (f", e.g. {wrong[:5]}" if wrong else ""),
        )
    )

    # Memory.
    samples = sampler.samples
    print()
    print(f"memory (VmRSS, MB; {len(samples)} samples, every 10 s):")
    mean_workers = [
        (s["t"], sum(s["workers"].values()) / len(s["workers"]) / 1024)
        for s in samples
        if s["workers"]
    ]
    series = {
        "gunicorn master": [(s["t"], s["master"] / 1024) for s in samples if s["master"]],
        "gunicorn worker (mean)": mean_workers,
        "notification worker": [(s["t"], s["notifier"] / 1024) for s in samples if s["notifier"]],
    }
    print(f"  {'process':<24} {'first':>7} {'last':>7} {'max':>7} {'slope MB/min':>13}")
    for name, pts in series.items():
        if not pts:
            continue
        vals = [v for _, v in pts]
        print(
            f"  {name:<24} {vals[0]:>7.1f} {vals[-1]:>7.1f} {max(vals):>7.1f} "
            f"{slope(pts) * 60:>13.3f}"
        )
    # Per process life (restarts replace the processes): slope after warm-up.
    lives: dict[str, list] = {}
    for s in samples:
        for pid, kb in s["workers"].items():
            lives.setdefault(f"gunicorn worker {pid}", []).append((s["t"], kb / 1024))
        if s["notifier"]:
            lives.setdefault(f"notification worker {s['notifier_pid']}", []).append(
                (s["t"], s["notifier"] / 1024)
            )
    print(f"  per process life (first → last MB, slope after the first {args.warmup:.0f} s):")
    worst, judged = 0.0, 0
    for name, pts in lives.items():
        warm = [p for p in pts if p[0] - pts[0][0] >= args.warmup]
        sl = slope(warm) * 60 if len(warm) >= 3 else float("nan")
        if sl == sl:
            worst, judged = max(worst, sl), judged + 1
        every_minute = [f"{v:.0f}" for t, v in pts if round(t - pts[0][0]) % 60 < 10]
        print(
            f"    {name:<26} {pts[0][1]:7.1f} → {pts[-1][1]:7.1f} over "
            f"{pts[-1][0] - pts[0][0]:4.0f} s, "
            + (f"{sl:+.3f} MB/min" if sl == sl else "too short to judge")
            + f"; each minute: {' '.join(every_minute)}"
        )
    # Across restarts: the workers' last figure in each generation.
    generations: list[list[float]] = []
    current: set = set()
    for s in samples:
        pids = set(s["workers"])
        if not pids:
            continue
        if pids - current:  # a worker not seen before: the restart's new generation
            generations.append([])
        current = pids
        generations[-1] = [v / 1024 for v in s["workers"].values()]
    if len(generations) > 1:
        ends = " → ".join(f"{sum(g) / len(g):.1f}" for g in generations if g)
        print(f"  gunicorn workers' mean MB at the end of each generation: {ends}")
    checks.append(
        (
            "memory flat",
            (worst <= args.max_growth) if judged else None,
            f"steepest slope of a process after warm-up {worst:+.3f} MB/min "
            f"(limit {args.max_growth} MB/min; {judged} process lives long enough to judge)",
        )
    )

    dump = ROOT / "var" / "bench" / "soak-samples.json"
    dump.write_text(json.dumps({"samples": samples, "events": events}, indent=1))
    print(f"  (all samples in {dump.relative_to(ROOT)})")
    print()
    print("reconciliation:")
    for name, good, detail in checks:
        mark = "n/a" if good is None else "ok" if good else "FAIL"
        print(f"  [{mark}] {name}: {detail}")
    ok = all(good is not False for _, good, _ in checks)
    print("SOAK: " + ("nothing lost" if ok else "FAILED"))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument(
        "--db", default="", help="postgres://… (an existing database, emptied); default SQLite"
    )
    parser.add_argument("--lookups", type=int, default=1, help="lookup client processes")
    parser.add_argument("--searches", type=int, default=1, help="search client processes")
    parser.add_argument("--submitters", type=int, default=2, help="submission client processes")
    parser.add_argument("--clerks", type=int, default=2, choices=[1, 2])
    parser.add_argument(
        "--restarts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the two SIGHUPs and the notification worker's restart (on by default)",
    )
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between requests")
    parser.add_argument(
        "--max-growth", type=float, default=1.0, help="MB/min a worker may grow after warm-up"
    )
    parser.add_argument(
        "--warmup", type=float, default=120, help="seconds of a process's life not judged"
    )
    args = parser.parse_args()
    sys.exit(0 if run(args) else 1)


if __name__ == "__main__":
    main()
