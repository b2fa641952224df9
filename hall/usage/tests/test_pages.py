"""The sheets' pages: who sees which, the figures as printed, bad months, Excel."""

import io

import openpyxl
import pytest
from django.urls import reverse

from hall.org.models import Department, Window

Q = {"month": "2025-09"}


def rows(response):
    """The sheet's rows: name cell → the texts of the other cells."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.row, self.cell = [], None, None

        def handle_starttag(self, tag, attrs):
            if tag == "tr" and ("data-usage-row", None) in attrs:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.row.append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.rows.append(self.row)
                self.row = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Rows()
    parser.feed(response.content.decode())
    return parser.rows


def test_the_window_sheet_shows_each_share_with_its_counts(month, test_measure, login_as):
    response = login_as("scjg_clerk").get(reverse("usage:window", args=[month.window.pk]), Q)
    assert response.status_code == 200
    found = {r[0]: r[1:] for r in rows(response)}
    # name → login days, cases, changes, walk-ins, pre-review, the test's measure
    assert found["王丽娟 scjg_clerk"] == [
        "3",
        "4",
        "5",
        "50.0% 1 / 2",
        "66.7% 2 / 3",
        "50.0% 1 / 2",
    ]
    assert found["李用例 usage_clerk_b"] == [
        "1",
        "1",
        "1",
        "100.0% 1 / 1",
        "50.0% 1 / 2",
        "— 0 / 0",
    ]
    assert found["记在窗口名下的记录"] == ["0", "0", "0", "— 0 / 0", "— 0 / 0", "100.0% 1 / 1"]
    assert found["窗口合计"] == ["4", "5", "6", "66.7% 2 / 3", "60.0% 3 / 5", "66.7% 2 / 3"]
    assert "测试通知按时阅读" in response.content.decode()


def test_the_department_view_adds_up_to_its_total(month, login_as):
    url = reverse("usage:department", args=[month.window.department_id])
    response = login_as("scjg_admin").get(url, Q)
    assert response.status_code == 200
    found = {r[1] if r[0].isdigit() or r[0] == "" else r[0]: r for r in rows(response)}
    window = next(r for r in rows(response) if r[1].startswith(month.window.number))
    assert window[0] == "1"  # ranked first: the other windows have nothing
    assert window[2:6] == ["4", "5", "6", "66.7% 2 / 3"]
    no_window = next(r for r in rows(response) if "不属于窗口的人员" in r)
    assert no_window[-6:-4] == ["1", "0"]  # the admin signed in once
    rest = next(r for r in rows(response) if "记在部门名下的记录" in r)
    assert "0.0% 0 / 1" in rest  # o6, never answered
    total = next(r for r in rows(response) if "部门合计" in r)
    assert total[-6:-1] == ["5", "5", "6", "66.7% 2 / 3", "50.0% 3 / 6"]
    assert found


def test_the_center_ranks_its_windows(month, login_as):
    response = login_as("city_admin").get(reverse("usage:index"), Q)
    assert response.status_code == 200
    ranked = [r for r in rows(response) if r and r[0] == "1"]
    assert any(r[1].startswith(month.window.number) for r in ranked)


def test_a_clerk_sees_only_their_own_window(month, login_as):
    client = login_as("scjg_clerk")
    assert client.get(reverse("usage:window", args=[month.other_window.pk]), Q).status_code == 404
    dept = month.window.department_id
    assert client.get(reverse("usage:department", args=[dept]), Q).status_code == 404
    index = client.get(reverse("usage:index"), Q)
    names = [r[0] for r in rows(index)]
    assert len(names) == 1 and names[0].startswith(month.window.number)


@pytest.mark.parametrize(
    "user, region, code, status",
    [
        ("scjg_admin", "330800", "SCJG", 200),
        ("scjg_admin", "330800", "ZRZY", 404),
        ("kc_admin", "330800", "SCJG", 404),
        ("city_admin", "330802", "SCJG", 200),
        ("city_supervisor", "330803", "GAJ", 200),
        ("kc_scjg_admin", "330803", "SCJG", 404),
    ],
)
def test_scope_of_windows_and_departments(db, login_as, user, region, code, status):
    department = Department.objects.get(center__region_code=region, code=code)
    window = Window.objects.filter(department=department).order_by("-number").first()
    client = login_as(user)
    assert client.get(reverse("usage:window", args=[window.pk]), Q).status_code == status
    assert client.get(reverse("usage:department", args=[department.pk]), Q).status_code == status
    export = client.get(reverse("usage:window_export", args=[window.pk]), Q)
    assert export.status_code == status


def test_another_center_named_in_the_query_is_404(db, login_as):
    from hall.org.models import Center

    city = Center.objects.get(region_code="330800")
    client = login_as("kc_admin")
    assert client.get(reverse("usage:index"), {"center": city.pk}).status_code == 404
    assert client.get(reverse("usage:index_export"), {"center": city.pk}).status_code == 404
    response = client.get(reverse("usage:index"), {"center": "abc"})
    assert response.status_code == 200
    assert "中心编号无效" in response.content.decode()


@pytest.mark.parametrize(
    "raw, message",
    [
        ("2025-13", "月份格式应为"),
        ("1900-01", "月份格式应为"),
        ("September", "月份格式应为"),
        ("<script>alert(1)</script>", "月份格式应为"),
        ("9" * 10_000, "月份格式应为"),
        ("2025-09\x00", "月份格式应为"),
        ("2099-12", "该月份尚未开始"),
    ],
)
def test_a_bad_month_says_why_and_shows_last_month(db, login_as, raw, message):
    client = login_as("city_admin")
    response = client.get(reverse("usage:index"), {"month": raw})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body


def test_non_utf8_bytes_in_the_query(db, login_as):
    client = login_as("city_admin")
    response = client.get(reverse("usage:index") + "?month=%ff%fe&center=%ff")
    assert response.status_code == 200
    assert "月份格式应为" in response.content.decode()


def test_the_window_sheet_as_excel(month, test_measure, login_as):
    url = reverse("usage:window_export", args=[month.window.pk])
    response = login_as("scjg_admin").get(url, Q)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-202509.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["工作人员", "登录天数", "办理件数", "状态变更次数"]
    assert header[4:7] == [
        "窗口收件当日录入率：按时",
        "窗口收件当日录入率：应计",
        "窗口收件当日录入率（%）",
    ]
    data = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert data["王丽娟（scjg_clerk）"][:9] == [3, 4, 5, 1, 2, 50, 2, 3, 66.7]
    assert data["窗口合计"][:9] == [4, 5, 6, 2, 3, 66.7, 3, 5, 60]


def test_the_department_and_center_exports(month, login_as):
    client = login_as("city_admin")
    dept = client.get(reverse("usage:department_export", args=[month.window.department_id]), Q)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(dept.streaming_content)))
    values = [list(r) for r in book.active.iter_rows(min_row=2, values_only=True)]
    total = next(r for r in values if r[1] == "部门合计")
    assert total[2:5] == [5, 5, 6]
    center = client.get(reverse("usage:index_export"), Q)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(center.streaming_content)))
    values = [list(r) for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert values[0][0] == 1 and values[-1][1] == "中心合计"
