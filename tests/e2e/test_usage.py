"""The usage sheets in a browser: a clerk signs in (that sign-in is the day
logged in the sheet then counts), finds their window's sheet from the menu,
downloads it as Excel; the department admin ranks the department's windows
on a desktop and opens the same sheet. axe finds nothing serious; screenshots at 375 and 1366 px."""

import openpyxl
import pytest

from hall.org.demo import DEMO_PASSWORD

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e

ROW = """(name) => [...document.querySelectorAll('#usage-sheet tr[data-usage-row]')]
  .filter(tr => tr.querySelector('th').innerText.includes(name))
  .map(tr => +tr.querySelector('[data-login-days]').innerText)"""


def test_a_clerk_reads_their_window_sheet_and_the_department_ranks_it(phone, desktop, hall_server):
    from django.utils import timezone

    from hall.org.models import User

    clerk = User.objects.get(username="scjg_clerk")
    window = clerk.staff.window
    month = f"{timezone.localdate():%Y-%m}"

    log_in(phone, hall_server.url, "scjg_clerk", DEMO_PASSWORD)
    phone.get_by_role("link", name="使用情况考核").first.click()
    phone.wait_for_load_state()
    assert phone.locator("#usage-sheet tbody tr[data-usage-row]").count() == 1  # only their own
    phone.locator("#usage-month").fill(month)
    phone.get_by_role("button", name="查看").click()
    phone.get_by_role("link", name=f"{window.number} {window.name}").click()
    phone.wait_for_load_state()
    assert phone.evaluate(ROW, "王丽娟") == [1]  # this sign-in
    assert phone.evaluate(ROW, "窗口合计") == [1]
    assert phone.get_by_role("button", name="打印").is_visible()
    assert serious_axe_violations(phone) == []
    shoot(phone, "usage-window-phone")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="导出 Excel").click()
    with open(download.value.path(), "rb") as saved:
        book = openpyxl.load_workbook(saved)
    cells = {r[0]: r[1] for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert cells["王丽娟（scjg_clerk）"] == 1

    log_in(desktop, hall_server.url, "scjg_admin", DEMO_PASSWORD)
    desktop.goto(f"{hall_server.url}/staff/usage/departments/{window.department_id}/?month={month}")
    first = desktop.locator("#usage-sheet tbody tr[data-usage-row]").first
    assert first.locator("[data-rank]").inner_text() == "1"
    assert serious_axe_violations(desktop) == []
    shoot(desktop, "usage-center-desktop")
    desktop.get_by_role("link", name=f"{window.number} {window.name}").first.click()
    desktop.wait_for_load_state()
    assert desktop.evaluate(ROW, "王丽娟") == [1]
