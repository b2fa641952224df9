"""The online manual in a browser: a clerk follows "本页帮助" from the case queue
to its help page, opens the 培训手册 on a phone (axe finds nothing serious), and
the handbook printed has no menu, its sections on A4 pages."""

import pytest

from hall.org.demo import DEMO_PASSWORD

from .conftest import _axe, log_in, shoot

pytestmark = pytest.mark.e2e

SERIOUS = ("serious", "critical")
A4_WIDTH_PX = 794  # 210 mm at 96 dpi


def test_help_link_and_the_printable_handbook(browser, phone, hall_server):
    base = hall_server.url
    log_in(phone, base, "scjg_clerk", DEMO_PASSWORD)
    phone.goto(f"{base}/staff/cases/")
    phone.get_by_role("link", name="本页帮助").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "帮助：网上预审"
    shoot(phone, "manual-help-page-375")  # the handbook is too long to shoot in time

    phone.goto(f"{base}/staff/help/handbook/")
    assert phone.get_by_role("heading", name="目录", exact=True).is_visible()
    assert phone.locator(".site-nav").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # axe over the page's frame, its contents and the first two areas: the other
    # areas repeat the same markup (headed sections, lists), and axe's time grows
    # with the page
    found = _axe.run(phone, context={"exclude": [[".handbook-area:nth-of-type(n+3)"]]})
    serious = [v["id"] for v in found.response["violations"] if v["impact"] in SERIOUS]
    assert not serious, serious

    phone.emulate_media(media="print")
    phone.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    assert not phone.locator(".site-nav").is_visible()
    assert not phone.locator(".site-header").is_visible()
    assert not phone.get_by_role("button", name="打印").is_visible()
    # each area starts a new printed page
    breaks = phone.eval_on_selector_all(
        ".handbook-area", "els => els.map(e => getComputedStyle(e).breakBefore)"
    )
    assert breaks and set(breaks) == {"page"}
    assert phone.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH_PX
