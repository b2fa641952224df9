"""Every dashboard table exports as a valid .xlsx, within the user's scope."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hall.supervision.constants import EXPORT_TABLES, XLSX_CONTENT_TYPE

from .conftest import TODAY, at

pytestmark = pytest.mark.django_db


def export(login_as, user, table, params=None):
    """GET an export as `user` on the scenario's day (signing in then: sessions expire)."""
    with at(*TODAY):
        return login_as(user).get(reverse("supervision:export", args=[table]), params or {})


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    # Consuming the stream closes the response (and its temporary file).
    data = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.worksheets[0]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def test_every_table_has_an_export():
    assert set(EXPORT_TABLES) == {
        "centers",
        "departments",
        "items",
        "clerks",
        "due_soon",
        "overdue",
        "period",
        "cases",
        "trend",
    }


@pytest.mark.parametrize(
    ("table", "header", "row"),
    [
        ("centers", ("中心", "在办", "临期", "超期"), ("衢州市行政服务中心", 4, 1, 1)),
        ("departments", ("部门", "所属中心", "在办"), ("衢州市市场监督管理局", "市中心", 4)),
        (
            "items",
            ("事项编码", "事项", "办理部门"),
            (None, "食品经营许可（网上）", "衢州市市场监督管理局"),
        ),
        ("clerks", ("经办人", "账号", "在办"), ("王丽娟", "scjg_clerk", 4)),
        (
            "due_soon",
            ("查询号", "事项", "办理部门"),
            ("{due_soon}", "食品经营许可（网上）", "衢州市市场监督管理局"),
        ),
        ("overdue", ("查询号", "事项"), ("{overdue}", "食品经营许可（网上）")),
        ("period", ("指标", "数值"), ("统计起始日期", datetime(2031, 11, 5))),
        ("trend", ("月份", "受理", "作出决定（准予或不予许可）"), ("2032年2月", 5, 2)),
        (
            "cases",
            ("查询号", "事项编码", "事项", "办理部门", "所属中心", "经办人", "渠道", "状态"),
            ("{late}", None, "食品经营许可（网上）", None, None, "王丽娟", "网上申报", "不予许可"),
        ),
    ],
)
def test_every_export_is_a_valid_workbook(login_as, scenario, table, header, row):
    rows = rows_of(export(login_as, "city_supervisor", table))
    assert rows[0][: len(header)] == header
    expected = tuple(
        scenario[v[1:-1]].display_number if isinstance(v, str) and v.startswith("{") else v
        for v in row
    )

    def matches(r):
        return all(e is None or r[i] == e for i, e in enumerate(expected))

    assert any(matches(r) for r in rows[1:]), rows


def test_the_lists_export_every_case_with_dates_and_days(login_as, scenario):
    rows = rows_of(export(login_as, "city_supervisor", "overdue"))
    assert rows[0][-1] == "超期工作日"
    body = {r[0]: r for r in rows[1:]}
    assert set(body) == {
        scenario["overdue"].display_number,
        scenario["county_overdue"].display_number,
    }
    row = body[scenario["overdue"].display_number]
    assert row[5] == datetime(2032, 2, 16, 10, 0)  # accepted, local time
    assert row[6] == datetime(2032, 2, 23)  # promised date
    assert row[7] == 8


def test_exports_stay_in_scope(login_as, scenario):
    overdue = rows_of(export(login_as, "kc_supervisor", "overdue"))
    assert [r[0] for r in overdue[1:]] == [scenario["county_overdue"].display_number]
    centers = rows_of(export(login_as, "kc_supervisor", "centers"))
    assert [r[0] for r in centers[1:]] == ["柯城区行政服务中心"]
    departments = rows_of(export(login_as, "kc_supervisor", "departments"))
    assert [r[0] for r in departments[1:]] == ["柯城区市场监督管理局"]


def test_exports_follow_the_period_and_drill_down(login_as, scenario, city_scjg, kc_scjg):
    period = dict(
        rows_of(
            export(
                login_as,
                "city_supervisor",
                "period",
                {"date_from": "2032-02-01", "date_to": "2032-02-29"},
            )
        )[1:]
    )
    assert period["统计起始日期"] == datetime(2032, 2, 1)
    assert period["受理"] == 5 and period["准予许可（含已办结）"] == 1
    assert period["按时决定率（%）"] == 50.0
    overdue = rows_of(export(login_as, "city_supervisor", "overdue", {"department": kc_scjg.pk}))
    assert [r[0] for r in overdue[1:]] == [scenario["county_overdue"].display_number]
    # out of scope: 404; malformed: 400 with a Chinese message
    assert (
        export(login_as, "kc_supervisor", "overdue", {"department": city_scjg.pk}).status_code
        == 404
    )
    bad = export(login_as, "kc_supervisor", "overdue", {"date_from": "2032-99-01"})
    assert bad.status_code == 400 and "筛选条件有误" in bad.content.decode()


def test_text_is_never_a_formula(login_as, make_item, city_scjg, make_case, user_named):
    from hall.cases.models import Case

    from .conftest import accept_on

    item = make_item(city_scjg, '=HYPERLINK("http://evil","x")', depth=4)
    case = accept_on(make_case(), user_named("scjg_clerk"), (2032, 3, 1))
    Case.objects.filter(pk=case.pk).update(item=item)
    rows = rows_of(export(login_as, "city_supervisor", "due_soon"))
    assert rows[1][1] == '=HYPERLINK("http://evil","x")'
    data = export(login_as, "city_supervisor", "due_soon")
    raw = b"".join(data.streaming_content)
    wb = load_workbook(io.BytesIO(raw))
    assert wb.worksheets[0].cell(row=2, column=2).data_type == "s"


def test_unknown_export_is_404(login_as):
    client = login_as("city_supervisor")
    assert client.get("/staff/supervision/export/secrets.xlsx").status_code == 404
    assert client.get("/staff/supervision/export/centers.csv").status_code == 404


@pytest.mark.parametrize("table", sorted(EXPORT_TABLES))
def test_clerks_cannot_export(login_as, table):
    assert export(login_as, "scjg_clerk", table).status_code == 404


def test_anonymous_export_goes_to_login(client):
    response = client.get(reverse("supervision:export", args=["centers"]))
    assert response.status_code == 302


def test_dates_in_exports_are_dates(login_as, scenario):
    rows = rows_of(export(login_as, "city_supervisor", "due_soon"))
    assert rows[1][6] == datetime.combine(date(2032, 3, 8), datetime.min.time())


def test_the_period_cases_export_lists_each_touched_case_once(login_as, scenario):
    rows = rows_of(export(login_as, "city_supervisor", "cases"))
    numbers = [r[0] for r in rows[1:]]
    assert len(numbers) == len(set(numbers))
    touched = {k for k in scenario if k != "submitted"}
    assert set(numbers) == {scenario[k].display_number for k in touched}
    by_number = {r[0]: r for r in rows[1:]}
    on_time = by_number[scenario["on_time"].display_number]
    assert on_time[-1] == "按时" and on_time[9] == datetime(2032, 2, 9)
    assert by_number[scenario["late"].display_number][-1] == "超时"
    assert by_number[scenario["running"].display_number][-1] is None  # still running
    # a county supervisor's export holds the county's case only
    county = rows_of(export(login_as, "kc_supervisor", "cases"))
    assert [r[0] for r in county[1:]] == [scenario["county_overdue"].display_number]


def test_a_long_export_streams_in_pieces_and_stays_a_valid_workbook():
    """Many rows: the stream gives the first bytes before the last row is read
    and the pieces make one workbook that a real reader opens."""
    from hall.supervision.exports import stream_workbook

    read = []

    def rows():
        for n in range(60_000):
            read.append(n)
            yield [f"第{n}行 <b>&\x01", n, n / 4, date(2032, 3, 4), None, True]

    stream = stream_workbook(
        "办件[明细]/2032", ["名称", "序号", "小数", "日期", "空", "是"], rows()
    )
    first = next(stream)
    assert first and len(read) < 60_000
    data = first + b"".join(stream)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.worksheets[0]
    assert ws.title == "办件 明细  2032"
    got = list(ws.iter_rows(values_only=True))
    wb.close()
    assert len(got) == 60_001
    assert got[0] == ("名称", "序号", "小数", "日期", "空", "是")
    assert got[1] == ("第0行 <b>&", 0, 0, datetime(2032, 3, 4), None, True)
    assert got[-1][:3] == ("第59999行 <b>&", 59999, 59999 / 4)
