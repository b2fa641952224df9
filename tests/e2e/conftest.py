"""Browser journeys: Debian's Chromium driven by Playwright against the live server."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from hall.org import demo as org_demo

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def hall_server(live_server, settings, transactional_db):
    """The live server with the demo organisation and plain static file names
    (the live server serves static files from the finders, not the manifest)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    org_demo.load()
    return live_server


# Every page of a journey reports what the Content-Security-Policy blocked:
# Chromium logs "Refused to … because it violates the following Content
# Security Policy directive …", and the document fires securitypolicyviolation.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
}, true);
"""


def _watch(page, problems: list[str]):
    def console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            problems.append(f"{page.url}: {text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: page error: {error}"))


def new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.csp_problems = []
    context.add_init_script(CSP_WATCH)
    context.on("page", lambda page: _watch(page, context.csp_problems))
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def close_page(page):
    """Close the page's context; the journey fails on any CSP violation or
    script error seen on any of its pages."""
    problems = page.context.csp_problems
    page.context.close()
    assert not problems, "Content-Security-Policy violations:\n" + "\n".join(problems)


@pytest.fixture
def phone(browser):
    page = new_page(browser, PHONE)
    yield page
    close_page(page)


@pytest.fixture
def desktop(browser):
    page = new_page(browser, DESKTOP)
    yield page
    close_page(page)


_axe = Axe()


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    db = "pg" if "postgres" in os.environ.get("DATABASE_URL", "") else "sqlite"
    path = ARTIFACTS / f"{name}-{db}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_axe_violations(page) -> list[str]:
    violations = _axe.run(page).response["violations"]
    return [
        f"{v['impact']}: {v['id']} ({len(v['nodes'])}) {v['nodes'][0]['html'][:120]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page, base_url: str, username: str, password: str):
    page.goto(f"{base_url}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def food_licence(hall_server):
    """A city item applied for online with two files (申请书, 平面图)."""
    from hall.catalogue.models import Material, ServiceItem
    from hall.catalogue.services import item_next_code, item_refresh_search_text
    from hall.org.models import Department

    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name="食品经营许可",
        item_type="xk",
        applicant_type="both",
        online_depth=3,
        statutory_days=20,
        promised_days=5,
        place="衢州市行政服务中心二楼 市场监管窗口",
    )
    Material.objects.create(item=item, name="食品经营许可申请书", submission="online", sort_order=0)
    Material.objects.create(item=item, name="经营场所平面图", submission="online", sort_order=1)
    Material.objects.create(item=item, name="营业执照原件", submission="onsite", sort_order=2)
    item_refresh_search_text(item)
    return item
