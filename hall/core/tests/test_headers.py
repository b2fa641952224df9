"""The hall's security headers, checked over the whole URLconf.

Every URL of the URLconf (and every page of the back office's ModelAdmins) is
asked once, with real objects behind it: each HTML page carries a strict
Content-Security-Policy and no inline code, every answer a Permissions-Policy,
and everything but the public catalogue pages `Cache-Control: private,
no-store`. A new URL fails `test_every_url_is_in_the_table` until it has a row
here saying how to ask it and whether a browser may keep it.
"""

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from conftest import PDF_BYTES
from hall.catalogue.models import Regulation
from hall.org.models import User
from hall.org.tests.test_permissions import RULES, _place

ROOT = Path(__file__).resolve().parents[3]

# ---- the URLconf ---------------------------------------------------------------------


def all_urls(resolver=None, prefix="", namespace=""):
    """{"namespace:name": route} of every pattern outside /admin/, recursively."""
    resolver = resolver or get_resolver()
    found = {}
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue  # the back office: walked through its ModelAdmins below
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(all_urls(pattern, route, ns))
        else:
            found[f"{namespace}{pattern.name}"] = route
    return found


URLS = all_urls()


@dataclass(frozen=True)
class Ask:
    """How to ask a URL outside /staff/: as whom ("anonymous", or "applicant":
    the session that looked the case up), which method, with which arguments,
    and the statuses it may answer. `cacheable`: a public page a browser may keep."""

    who: str = "anonymous"
    method: str = "GET"
    kwargs: object = None
    query: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    ok: tuple = (200,)
    cacheable: bool = False


def _code(o):
    return {"code": o.place.item.code}


def _number(o):
    return {"number": o.place.case.query_number}


PUBLIC = {
    "healthz": Ask(),
    "set_language": Ask(query={"language": "en", "next": "/"}, ok=(302,)),
    "portal:home": Ask(cacheable=True),
    "portal:column": Ask(kwargs=lambda o: {"slug": o.column}, ok=(200, 302), cacheable=True),
    "catalogue:browse": Ask(cacheable=True),
    "catalogue:search": Ask(query={"q": "矩阵"}, cacheable=True),
    "portal:search": Ask(query={"q": "矩阵"}, cacheable=True),
    "catalogue:item": Ask(kwargs=_code, cacheable=True),
    "catalogue:item_print": Ask(kwargs=_code, cacheable=True),
    "catalogue:regulations": Ask(cacheable=True),
    "catalogue:regulation": Ask(kwargs=lambda o: {"pk": o.regulation.pk}, cacheable=True),
    "agencies:list": Ask(query={"q": "测绘"}, cacheable=True),
    # 中心公告: announcements and approval results
    "announcements:index": Ask(query={"q": "矩阵"}, cacheable=True),
    "announcements:feed": Ask(cacheable=True),
    "announcements:detail": Ask(kwargs=lambda o: {"pk": o.place.announcement.pk}, cacheable=True),
    "announcements:attachment": Ask(
        kwargs=lambda o: {"pk": o.place.announcement.pk, "file_id": 2**31}, ok=(404,)
    ),
    "announcements:results": Ask(cacheable=True),
    "announcements:results_feed": Ask(cacheable=True),
    "announcements:results_export": Ask(),
    "announcements:result": Ask(
        kwargs=lambda o: {"pk": o.place.result.pk}, ok=(200, 404), cacheable=True
    ),
    "api:list_announcements": Ask(cacheable=True),
    "api:list_results": Ask(cacheable=True),
    "agencies:detail": Ask(kwargs=lambda o: {"pk": o.place.agency.pk}, cacheable=True),
    # downloads, even of blank forms: never kept
    "catalogue:result_sample": Ask(kwargs=_code),
    "catalogue:material_file": Ask(
        kwargs=lambda o: {
            "code": o.place.item.code,
            "material_id": o.material.pk,
            "kind": "template",
        }
    ),
    # the 政策法规 column: pages and feed kept, attachments (downloads) never
    "policies:list": Ask(cacheable=True),
    "policies:feed": Ask(cacheable=True),
    "policies:detail": Ask(kwargs=lambda o: {"pk": o.place.policy.pk}, cacheable=True),
    "policies:attachment": Ask(
        kwargs=lambda o: {"pk": o.place.policy.pk, "attachment_id": o.place.policy_file.pk}
    ),
    "api:list_policies": Ask(cacheable=True),
    "api:policy_detail": Ask(kwargs=lambda o: {"policy_id": o.place.policy.pk}, cacheable=True),
    # the applicant's own pages and files
    "cases:apply": Ask(kwargs=_code),
    "cases:track": Ask(query={"number": "x"}),
    "cases:status": Ask(who="applicant", kwargs=_number),
    "cases:receipt": Ask(who="applicant", kwargs=_number),
    "cases:resubmit": Ask(who="applicant", method="POST", kwargs=_number, ok=(400,)),
    "cases:withdraw": Ask(who="applicant", method="POST", kwargs=_number, ok=(302,)),
    "cases:applicant_file": Ask(
        who="applicant",
        kwargs=lambda o: {"number": o.place.case.query_number, "file_id": o.place.file.pk},
    ),
    "notifications:callback": Ask(method="POST", ok=(400, 403)),
    # 好差评: a signed rating link (a forged token is the uniform 404)
    "ratings:link": Ask(kwargs=lambda o: {"token": "x"}, ok=(404,)),
    # 好差评 (the rating channels): the status page's rating form after the lookup
    # (the place's case is not finished: the page says so), and the API
    "ratings:rate": Ask(
        who="applicant", kwargs=lambda o: {"number": o.place.case.query_number, "kind": "finished"}
    ),
    "api:submit_rating": Ask(method="POST", ok=(400, 422)),
    # ratings figures: the public 好差评 page and its API, both kept
    "ratings:public": Ask(cacheable=True),
    "api:rating_stats": Ask(cacheable=True),
    # 网上答疑: the column, asking, the asker's lookup (the place's question is
    # open, so its public page is the uniform 404, and so is a status page
    # without the lookup)
    "qa:list": Ask(),
    "qa:detail": Ask(kwargs=lambda o: {"pk": o.place.question.pk}, ok=(404,)),
    "qa:ask": Ask(),
    "qa:suggest": Ask(query={"q": "矩阵"}),
    "qa:track": Ask(),
    "qa:status": Ask(kwargs=lambda o: {"number": o.place.question.number}, ok=(404,)),
    # the API: the catalogue and its docs are public, lookups and applications personal
    "api:api-root": Ask(ok=(200, 404), cacheable=True),
    "api:openapi-json": Ask(cacheable=True),
    "api:openapi-view": Ask(cacheable=True),
    "api:list_items": Ask(cacheable=True),
    "api:item_detail": Ask(kwargs=_code, cacheable=True),
    "api:list_agencies": Ask(cacheable=True),
    "api:agency_detail": Ask(kwargs=lambda o: {"agency_id": o.place.agency.pk}, cacheable=True),
    "api:application_status": Ask(kwargs=_number, query={"phone": "2345"}),
    "api:submit_application": Ask(method="POST", ok=(422,)),
    "api:list_questions": Ask(),
    "api:ask_question": Ask(method="POST", ok=(400, 422)),
    "api:question_answer": Ask(
        kwargs=lambda o: {"number": o.place.question.number}, query={"phone": "13857012345"}
    ),
    # complaints hall (投诉大厅): the column and filing; the complainant's page and
    # reopen need the lookup first (the uniform 404), the API's lookup the phone
    "feedback:index": Ask(query={"q": "矩阵"}),
    "feedback:published": Ask(kwargs=lambda o: {"pk": o.place.complaint.pk}, ok=(404,)),
    "feedback:file": Ask(query={"department": "1"}),
    "feedback:track": Ask(),
    "feedback:mine": Ask(kwargs=lambda o: {"number": o.place.complaint.number}, ok=(404,)),
    "feedback:reopen": Ask(
        method="POST", kwargs=lambda o: {"number": o.place.complaint.number}, ok=(404,)
    ),
    "api:file_complaint": Ask(method="POST", ok=(400, 422)),
    "api:complaint_status": Ask(
        kwargs=lambda o: {"number": o.place.complaint.number}, query={"phone": "13857012345"}
    ),
}


def test_every_url_is_in_the_table():
    staff = {n for n, r in URLS.items() if r.startswith("staff/")}
    missing = sorted(set(URLS) - staff - set(PUBLIC) - set(RULES))
    assert not missing, f"URLs without a row in PUBLIC (or RULES for /staff/): {missing}"
    assert not sorted(set(PUBLIC) - set(URLS)), "rows for URLs the URLconf no longer has"


# ---- the objects --------------------------------------------------------------------


@dataclass
class World:
    place: object
    material: object
    regulation: object
    column: str
    clients: dict
    sysadmin: object


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A case with a file, an item with a blank form and a result sample, a
    regulation; a signed-in superuser and an applicant who looked the case up.
    All in one transaction rolled back after the module."""
    from hall.portal.constants import COLUMNS

    with django_db_blocker.unblock(), transaction.atomic():
        sysadmin = User.objects.get(username="sysadmin")
        place = _place("330800", User.objects.get(username="scjg_admin"), sysadmin)
        material = place.item.materials.get()
        material.template.save("blank.pdf", ContentFile(PDF_BYTES), save=False)
        material.template_name = "申请书.pdf"
        material.save()
        place.item.result_sample.save("sample.pdf", ContentFile(PDF_BYTES))
        regulation = Regulation.objects.create(
            center=place.center, title="矩阵测试条例", issuer="衢州市人民政府", level="local_rule"
        )
        staff = Client()
        staff.force_login(sysadmin, backend="hall.org.backends.StaffBackend")
        applicant = Client()
        found = applicant.post(
            reverse("cases:track"),
            {"number": place.case.query_number, "phone": place.case.phone},
        )
        assert found.status_code == 302, found.content[:300]
        yield World(
            place=place,
            material=material,
            regulation=regulation,
            # a placeholder column if one is left, else one that redirects to its page
            column=next(
                (slug for slug, _t, _x, url_name in COLUMNS if not url_name), COLUMNS[0][0]
            ),
            clients={"anonymous": Client(), "applicant": applicant, "staff": staff},
            sysadmin=sysadmin,
        )
        transaction.set_rollback(True)


def _ask(client, method, url, query=None, data=None):
    # Every request in its own savepoint: an action that succeeds is undone.
    with transaction.atomic():
        send = client.get if method == "GET" else client.post
        response = send(url, (query if method == "GET" else data) or {})
        transaction.set_rollback(True)
    return response


def _public_request(world, name):
    ask = PUBLIC[name]
    url = reverse(name, kwargs=ask.kwargs(world) if ask.kwargs else None)
    return ask, url, _ask(world.clients[ask.who], ask.method, url, ask.query, ask.data)


def _staff_request(world, name):
    rule = RULES[name]
    method = "GET" if rule.get not in (None, 405) else "POST"
    url = reverse(name, kwargs=rule.kwargs(world.place) if rule.kwargs else None)
    expected = rule.get if method == "GET" else rule.post
    if isinstance(expected, dict):
        expected = expected["signed_in"]
    # A client of its own: signing out must not end the others' session.
    staff = Client()
    staff.force_login(world.sysadmin, backend="hall.org.backends.StaffBackend")
    response = _ask(staff, method, url, data=rule.data)
    return expected, url, response


def _admin_urls(world):
    """The back office's pages: the index, each app, and per ModelAdmin its list,
    add form, and for one object its change form, history and delete confirmation;
    (url, whether the superuser must see it: some models are read-only)."""
    urls = [(reverse("admin:index"), True), (reverse("admin:password_change"), True)]
    apps = set()
    for model in admin.site._registry:
        opts = model._meta
        apps.add(opts.app_label)
        base = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append((reverse(f"{base}_changelist"), True))
        urls.append((reverse(f"{base}_add"), False))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                urls.append((reverse(f"{base}_{view}", args=[obj.pk]), view != "delete"))
    urls += [(reverse("admin:app_list", args=[app]), True) for app in sorted(apps)]
    return urls


# ---- what every answer must carry ----------------------------------------------------

_INLINE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")),
    ("<style> element", re.compile(r"<style\b")),
    ("style= attribute", re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=")),
    ("on…= handler", re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=\s*[\"']")),
    ("javascript: URL", re.compile(r"=\s*[\"']\s*javascript:", re.IGNORECASE)),
]


def csp_directives(header: str) -> dict[str, list[str]]:
    found = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = words[1:]
    return found


def csp_problems(response) -> list[str]:
    header = response.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy"]
    d = csp_directives(header)
    wrong = []
    for name, want in (
        ("default-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
    ):
        if d.get(name) != want:
            wrong.append(f"{name} {d.get(name)}, expected {want}")
    for name in ("script-src", "style-src"):
        sources = d.get(name)
        if sources is None:
            wrong.append(f"no {name}")
            continue
        loose = [s for s in sources if s in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:")]
        loose += [s for s in sources if s.startswith(("http:", "https:"))]
        if loose:
            wrong.append(f"{name} allows {loose}")
    return wrong


def inline_code(response) -> list[str]:
    if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
        return []
    body = response.content.decode(errors="replace")
    return [f"{what}: {m.group(0)[:100]}" for what, rx in _INLINE for m in rx.finditer(body)]


def header_problems(response, *, cacheable: bool) -> list[str]:
    wrong = []
    if response.get("Content-Type", "").startswith("text/html"):
        wrong += csp_problems(response)
        wrong += inline_code(response)
    policy = response.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        if f"{feature}=()" not in policy:
            wrong.append(f"Permissions-Policy without {feature}=()")
    cache = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    if cacheable and "no-store" in cache:
        wrong.append(f"a public page answered Cache-Control: {response['Cache-Control']}")
    if not cacheable and not {"private", "no-store"} <= cache:
        wrong.append(f"Cache-Control: {response.get('Cache-Control')!r}, not private, no-store")
    return wrong


# ---- the walk -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_and_applicant_urls(db, world, name):
    ask, url, response = _public_request(world, name)
    assert response.status_code in ask.ok, f"{ask.method} {url}: {response.status_code}"
    wrong = header_problems(response, cacheable=ask.cacheable)
    assert not wrong, f"{ask.method} {url}:\n" + "\n".join(wrong)


STAFF_NAMES = sorted(n for n, r in URLS.items() if r.startswith("staff/"))


@pytest.mark.parametrize("name", STAFF_NAMES)
def test_staff_urls(db, world, name):
    expected, url, response = _staff_request(world, name)
    assert response.status_code == expected, f"{url}: {response.status_code}"
    wrong = header_problems(response, cacheable=False)
    assert not wrong, f"{url}:\n" + "\n".join(wrong)


def test_staff_login_page_signed_out(db, world):
    response = world.clients["anonymous"].get(reverse("org:login"))
    assert response.status_code == 200
    wrong = header_problems(response, cacheable=False)
    assert not wrong, "\n".join(wrong)


def test_back_office_pages(db, world):
    wrong = []
    urls = _admin_urls(world)
    assert len(urls) > 20
    for url, must_see in urls:
        response = _ask(world.clients["staff"], "GET", url)
        if response.status_code != 200 and (must_see or response.status_code not in (403, 404)):
            wrong.append(f"{url}: {response.status_code}")
        wrong += [f"{url}: {w}" for w in header_problems(response, cacheable=False)]
    anonymous = world.clients["anonymous"].get(reverse("admin:login"))
    wrong += [f"admin login: {w}" for w in header_problems(anonymous, cacheable=False)]
    assert not wrong, "\n".join(wrong)


def test_public_pages_keep_the_page_cache(db, world):
    url = reverse("catalogue:search")
    Client().get(url, {"q": "矩阵"})
    again = Client().get(url, {"q": "矩阵"})
    assert again.get("X-Page-Cache") == "hit"
    assert not header_problems(again, cacheable=True)


def test_signed_in_staff_get_no_store_on_public_pages_too(db, world):
    response = world.clients["staff"].get(reverse("catalogue:item", kwargs=_code(world)))
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_the_api_docs_run_only_their_own_nonce(db, world):
    first = Client().get(reverse("api:openapi-view"))
    second = Client().get(reverse("api:openapi-view"))
    nonces = []
    for response in (first, second):
        d = csp_directives(response["Content-Security-Policy"])
        assert d["script-src"][0].startswith("'nonce-"), d["script-src"]
        assert "'self'" not in d["script-src"]
        nonce = d["script-src"][0][len("'nonce-") : -1]
        scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", response.content.decode())
        assert len(scripts) == 2
        assert all(f'nonce="{nonce}"' in s for s in scripts), scripts
        assert "cdn" not in response.content.decode().lower()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


# ---- methods --------------------------------------------------------------------------

UNUSED_METHODS = ["TRACE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "PUT", "PATCH", "DELETE"]


def test_unused_methods_answer_405_on_every_url(db, world):
    urls = [
        reverse(n, kwargs=PUBLIC[n].kwargs(world) if PUBLIC[n].kwargs else None) for n in PUBLIC
    ]
    urls += [
        reverse(n, kwargs=RULES[n].kwargs(world.place) if RULES[n].kwargs else None)
        for n in STAFF_NAMES
    ]
    urls += [reverse("admin:index"), "/static/hall/hall.css", "/no-such-page/"]
    wrong = []
    for client in (world.clients["anonymous"], world.clients["staff"]):
        for url in urls:
            for method in UNUSED_METHODS:
                response = client.generic(method, url)
                if response.status_code != 405:
                    wrong.append(f"{method} {url}: {response.status_code}")
                elif "TRACE" in response.get("Allow", ""):
                    wrong.append(f"{method} {url}: Allow {response['Allow']}")
    assert not wrong, "\n".join(wrong[:40])


# ---- proxies --------------------------------------------------------------------------


def _qr_link(client, world, **extra):
    response = client.get(reverse("cases:notice", kwargs={"pk": world.place.case.pk}), **extra)
    assert response.status_code == 200
    return re.search(r"扫码或访问 (\S+) ，", response.content.decode()).group(1)


def test_forwarded_proto_believed_only_from_a_trusted_proxy(db, world, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    staff = world.clients["staff"]
    forged = _qr_link(staff, world, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert forged.startswith("http://testserver/track/?number="), forged
    proxied = _qr_link(staff, world, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.startswith("https://testserver"), proxied


def test_without_trusted_proxies_no_request_claims_https(db, world):
    assert settings.TRUSTED_PROXIES == []
    link = _qr_link(world.clients["staff"], world, HTTP_X_FORWARDED_PROTO="https")
    assert link.startswith("http://"), link


def test_client_address_from_forwarded_for_only_behind_a_trusted_proxy(rf, settings):
    from hall.core.ratelimit import client_ip

    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    chain = "203.0.113.9, 198.51.100.7, 10.0.0.6"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=chain)) == (
        "198.51.100.7"
    )
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=chain)) == (
        "192.0.2.1"
    )
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="junk")) == (
        "10.0.0.5"
    )
    request = rf.get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) == "unknown"


def test_a_login_without_an_address_is_recorded_without_one(db):
    """A script's login (no REMOTE_ADDR) is not given a made-up address: the
    lockout records store an IP field, refused on PostgreSQL otherwise."""
    from axes.models import AccessLog

    Client().force_login(
        User.objects.get(username="sysadmin"), backend="hall.org.backends.StaffBackend"
    )
    assert AccessLog.objects.filter(username="sysadmin").latest("pk").ip_address is None


def _gunicorn_args_of_start_sh(port: int) -> list[str]:
    """The options start.sh gives gunicorn, its variables filled in for a run
    without a proxy (TRUSTED_PROXIES empty, the default)."""
    text = (ROOT / "start.sh").read_text()
    command = re.search(r"gunicorn hall\.wsgi:application(.*?)&\n", text, re.S).group(1)
    values = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1", "TRUSTED_PROXIES": ""}
    command = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: values.get(m.group(1), m.group(2)), command)
    command = re.sub(r"\$(\w+)", lambda m: values[m.group(1)], command)
    return shlex.split(command.replace("\\\n", " "))


def test_gunicorn_as_started_by_start_sh_ignores_a_loopback_forwarded_proto(tmp_path):
    """gunicorn by default believes X-Forwarded-Proto from 127.0.0.1: a local
    request could claim https. Started as start.sh starts it, it does not:
    with HTTPS_ONLY the claimed-https request is still redirected to https."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = _gunicorn_args_of_start_sh(port)
    assert "--forwarded-allow-ips" in args, args
    env = {
        **os.environ,
        "DEBUG": "0",
        "DEMO_MODE": "0",
        "HTTPS_ONLY": "1",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXIES": "",
        "HALL_VAR_DIR": str(tmp_path),
        "LOG_DIR": str(tmp_path),
    }
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "hall.wsgi:application", *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        status = _first_answer(port, server)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    assert status.startswith("HTTP/1.1 301"), f"{status}\n{log.read_text()[-1500:]}"


def _first_answer(port, server) -> str:
    """The status line gunicorn answers to a loopback request claiming https
    (a static file: nothing behind it needs the database)."""
    request = (
        b"GET /static/hall/hall.css HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
    )
    while server.poll() is None:
        try:
            conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        except ConnectionRefusedError:
            with pytest.raises(subprocess.TimeoutExpired):
                server.wait(0.2)  # not listening yet
            continue
        with conn:
            conn.sendall(request)
            return conn.recv(200).decode(errors="replace").split("\r\n")[0]
    return f"gunicorn stopped ({server.returncode})"
