"""The public 好差评 page, the staff figures (scope: out of it is a 404), their
Excel exports, the supervision panel and GET /api/v1/ratings/stats."""

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hall.cases.tests.factories import CaseFactory
from hall.ratings import figures
from hall.ratings.constants import Channel, Kind
from hall.ratings.models import RatingStat
from hall.ratings.services import rating_submit

pytestmark = pytest.mark.django_db

PUBLIC = reverse("ratings:public")
STAFF = reverse("ratings:figures")
EXPORT = reverse("ratings:figures_export")
API = reverse("api:rating_stats")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _month(n=0):
    return figures.add_months(figures.last_full_month(timezone.localdate()), n)


def stat(item, month, clerk=0, **counts):
    return RatingStat.objects.create(
        month=month,
        center_id=item.center_id,
        department_id=item.department_id,
        item=item,
        clerk=clerk,
        **counts,
    )


@pytest.fixture
def world(make_item, city_scjg, kc_scjg, qj_scjg, user_named):
    """Counters of last month and the one before, in the city, 柯城区 and 衢江区."""
    clerk = user_named("scjg_clerk")
    kc_clerk = user_named("kc_scjg_clerk")
    city = make_item(city_scjg, "城市事项")
    city2 = make_item(city_scjg, "城市另一事项")
    kc = make_item(kc_scjg, "柯城事项")
    qj = make_item(qj_scjg, "衢江事项")
    last, before = _month(), _month(-1)
    stat(city, last, clerk.pk, finished=20, rated=18, level_5=12, level_4=3, level_3=1, level_2=2)
    stat(city, last, 0, finished=2, rated=1, level_1=1, tasks_opened=1)
    stat(city2, last, clerk.pk, finished=4)
    stat(city, before, clerk.pk, finished=5, rated=5, level_5=5, tasks_closed=2, tasks_on_time=2)
    stat(kc, last, kc_clerk.pk, finished=10, rated=9, level_5=8, level_2=1)
    stat(qj, last, 0, finished=7, rated=7, level_5=7)
    return {"city": city, "city2": city2, "kc": kc, "qj": qj, "clerk": clerk, "kc_clerk": kc_clerk}


def numbers(html: str, marker: str) -> list[int]:
    return [int(n) for n in re.findall(rf"<td class=\"num\" {marker}>(\d+)</td>", html)]


# ---- the public page ------------------------------------------------------------------


def test_the_public_page_shows_last_month_per_department(client, world, city_scjg):
    response = client.get(PUBLIC)
    html = response.content.decode()
    assert response.status_code == 200
    assert city_scjg.name in html
    assert "参评率</dt><dd>= 评价件数 ÷ 办结件数" in html
    # the city's department: 26 finished, 19 rated, 3 bad
    assert numbers(html, "data-finished")[0] == 26
    assert numbers(html, "data-rated")[0] == 19
    assert numbers(html, "data-bad")[0] == 3
    assert world["kc"].name not in html  # the city by default; 柯城区 on its own
    assert world["clerk"].full_name not in html  # never a clerk


def test_a_department_lists_its_items_and_an_item_its_months(client, world, city_scjg):
    month = f"{_month():%Y-%m}"
    html = client.get(PUBLIC, {"department": city_scjg.pk, "month": month}).content.decode()
    assert world["city"].name in html and world["city2"].name in html
    assert "—" in html  # 城市另一事项: nothing rated, no satisfaction rate
    html = client.get(PUBLIC, {"item": world["city"].pk}).content.decode()
    assert "近 12 个月" in html
    assert numbers(html, "data-finished")[:2] == [22, 5]  # last month, the one before


def test_the_month_chooser_switches_the_month(client, world):
    before = f"{_month(-1):%Y-%m}"
    html = client.get(PUBLIC, {"month": before}).content.decode()
    assert "data-total-finished>5<" in html
    assert f'<option value="{before}" selected>' in html
    html = client.get(PUBLIC, {"month": "2001-02"}).content.decode()
    assert '<option value="2001-02" selected>' in html  # an old month stays chosen
    assert "data-total-finished>0<" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"month": "2026-13"}, "月份格式应为"),
        ({"month": "<script>alert(1)</script>"}, "月份格式应为"),
        ({"month": "2099-12"}, "尚未到来"),
        ({"department": "abc"}, "部门参数无效"),
        ({"item": "9" * 30}, "事项参数无效"),
        ({"center": "a\x00b"}, "中心参数无效"),
    ],
)
def test_hostile_values_get_a_message_and_the_defaults(client, world, query, message):
    response = client.get(PUBLIC, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()


def test_unknown_or_mismatched_objects_are_404(client, world, kc_scjg):
    assert client.get(PUBLIC, {"department": 2**31}).status_code == 404
    assert (
        client.get(PUBLIC, {"item": world["city"].pk, "department": kc_scjg.pk}).status_code == 404
    )
    assert (
        client.get(
            PUBLIC, {"department": kc_scjg.pk, "center": world["city"].center_id}
        ).status_code
        == 404
    )


def test_the_public_page_is_cached_until_a_new_rating(client, world, online_item):
    case = CaseFactory.create(item=online_item, completed=True)
    client.cookies.clear()
    first = client.get(PUBLIC)
    assert "X-Page-Cache" not in first
    assert client.get(PUBLIC)["X-Page-Cache"] == "hit"
    rating_submit(case=case, kind=Kind.FINISHED, level=5, channel=Channel.WEB)
    assert "X-Page-Cache" not in client.get(PUBLIC)
    assert client.get(PUBLIC)["X-Page-Cache"] == "hit"
    figures.public_changed()  # e.g. a rectification shown by the disclosure panel
    assert "X-Page-Cache" not in client.get(PUBLIC)


def test_the_public_column_is_on_the_portal(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{PUBLIC}"' in html


# ---- the staff figures ----------------------------------------------------------------


def test_the_city_supervisor_sees_its_counties(login_as, world):
    html = login_as("city_supervisor").get(STAFF).content.decode()
    assert 'id="rf-centers-title"' in html and "柯城区" in html and "衢江区" in html
    # the whole scope: 22 + 4 + 5 (city) + 10 (柯城) + 7 (衢江)
    assert "data-total-finished>48<" in html


def test_a_county_sees_only_itself(login_as, world, city_scjg, qj_scjg, kc_scjg):
    client = login_as("kc_admin")
    html = client.get(STAFF).content.decode()
    assert "data-total-finished>10<" in html and 'id="rf-centers-title"' not in html
    assert client.get(STAFF, {"department": city_scjg.pk}).status_code == 404
    assert client.get(STAFF, {"department": qj_scjg.pk}).status_code == 404
    assert client.get(STAFF, {"center": city_scjg.center_id}).status_code == 404
    assert client.get(STAFF, {"item": world["city"].pk}).status_code == 404
    assert client.get(STAFF, {"clerk": world["clerk"].pk}).status_code == 404
    assert (
        client.get(STAFF, {"department": kc_scjg.pk, "item": world["city"].pk}).status_code == 404
    )
    assert client.get(STAFF, {"clerk": world["kc_clerk"].pk}).status_code == 200


def test_a_department_admin_sees_only_the_department(login_as, world, city_scjg):
    client = login_as("kc_scjg_admin")
    assert client.get(STAFF, {"item": world["city"].pk}).status_code == 404
    assert client.get(STAFF, {"clerk": world["clerk"].pk}).status_code == 404
    html = login_as("scjg_admin").get(STAFF).content.decode()
    assert "data-total-finished>31<" in html  # the city's 市场监管局 only


def test_the_drill_down_reaches_a_clerk(login_as, world, city_scjg):
    assert world["clerk"].full_name
    client = login_as("city_admin")
    html = client.get(STAFF, {"department": city_scjg.pk}).content.decode()
    assert "按事项" in html and "按经办人" in html
    assert world["clerk"].full_name in html and "未记录经办人" in html
    html = client.get(STAFF, {"department": city_scjg.pk, "clerk": world["clerk"].pk}).content
    html = html.decode()
    # the clerk's items: 城市事项 (20 + 5) and 城市另一事项 (4)
    assert numbers(html, "data-finished")[:2] == [25, 4]
    html = client.get(STAFF, {"item": world["city"].pk}).content.decode()
    assert "按经办人" in html and "按事项" not in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"month_from": "2026-13"}, "月份格式应为"),
        ({"month_from": "2026-10", "month_to": "2026-01"}, "起始月份不能晚于截止月份"),
        ({"month_from": "2020-01", "month_to": "2026-01"}, "最长 36 个月"),
        ({"clerk": "x"}, "经办人参数无效"),
    ],
)
def test_staff_bad_values_get_a_message(login_as, world, query, message):
    response = login_as("city_admin").get(STAFF, query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_month_range_narrows_the_figures(login_as, world):
    month = f"{_month(-1):%Y-%m}"
    html = login_as("city_admin").get(STAFF, {"month_from": month, "month_to": month}).content
    assert "data-total-finished>5<" in html.decode()


def test_a_clerk_has_no_figures_page(login_as, world):
    assert login_as("scjg_clerk").get(STAFF).status_code == 404


def test_every_table_exports_as_its_rows(login_as, world, city_scjg):
    client = login_as("city_admin")
    for query, tables in (
        ({}, ["centers", "departments", "months"]),
        ({"department": city_scjg.pk}, ["items", "clerks", "months"]),
    ):
        for table in tables:
            response = client.get(EXPORT, {**query, "table": table})
            assert response.status_code == 200, table
            assert response["Content-Disposition"].startswith("attachment;")
            sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
            rows = list(sheet.values)
            assert rows[0][0] in ("中心", "部门", "事项", "经办人", "月份")
            assert len(rows) > 1
    response = client.get(EXPORT, {"department": city_scjg.pk, "table": "items"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    by_name = {r[0]: r for r in list(sheet.values)[1:]}
    # name, code, finished, rated, participation %, five levels …
    assert by_name["城市事项"][2:5] == (27, 24, 88.9)
    assert by_name["城市另一事项"][4] == 0.0  # finished, none rated: 0 %
    assert by_name["城市另一事项"][10] is None  # no satisfaction: an empty cell, not 0
    assert client.get(EXPORT, {"table": "items"}).status_code == 404  # not at this level
    assert client.get(EXPORT, {"table": "../../etc/passwd"}).status_code == 404


# ---- the supervision panel -------------------------------------------------------------


def test_the_supervision_dashboard_shows_the_satisfaction_panel(login_as, world, online_item):
    case = CaseFactory.create(item=online_item, completed=True)
    rating_submit(case=case, kind=Kind.FINISHED, level=4, channel=Channel.WEB)
    html = login_as("city_supervisor").get(reverse("supervision:dashboard")).content.decode()
    assert "好差评：满意度" in html and "本月（统计中）" in html and "上月" in html
    assert f'href="{STAFF}?month_from=' in html
    panel = html[html.index("好差评：满意度") :]
    # this month: the case just rated; last month: the world's 48
    assert re.search(r"本月（统计中）</th><td class=\"num\">1</td><td class=\"num\">1</td>", panel)
    assert re.search(r"上月</th><td class=\"num\">43</td>", panel)


# ---- the API --------------------------------------------------------------------------


def test_the_api_gives_a_departments_month(client, world, city_scjg):
    body = client.get(API, {"department": city_scjg.pk}).json()
    assert body["month"] == f"{_month():%Y-%m}"
    assert (body["finished"], body["rated"], body["bad"]) == (26, 19, 3)
    assert body["levels"]["very_satisfied"] == 12
    assert body["participation_rate"] == 73.1
    assert body["scope"]["department"] == city_scjg.name
    assert "clerk" not in str(body)
    body = client.get(API, {"item": world["city2"].pk}).json()
    assert body["finished"] == 4 and body["satisfaction_rate"] is None
    body = client.get(API, {"month": f"{_month(-1):%Y-%m}", "item": world["city"].pk}).json()
    assert body["on_time_rate"] == 100.0


@pytest.mark.parametrize(
    "query, status, message",
    [
        ({"month": "2026/11"}, 422, "月份格式应为"),
        ({"month": "2099-01"}, 422, "尚未到来"),
        ({"department": "abc"}, 422, "编号应为正整数"),
        ({"item": "-1"}, 422, "编号应为正整数"),
        ({"center": "9" * 30}, 422, "编号应为正整数"),
        ({"department": str(2**31)}, 404, "未找到该部门"),
        ({"item": str(2**31)}, 404, "未找到该事项"),
        ({"center": str(2**31)}, 404, "未找到该中心"),
    ],
)
def test_the_api_refuses_bad_parameters_in_chinese(client, world, query, status, message):
    response = client.get(API, query)
    assert response.status_code == status
    assert message in response.content.decode("unicode_escape") or message in str(response.json())


def test_the_api_refuses_an_item_of_another_department(client, world, kc_scjg):
    response = client.get(API, {"item": world["city"].pk, "department": kc_scjg.pk})
    assert response.status_code == 404
    assert "该部门没有这个事项" in response.json()["detail"]


def test_the_english_page(client, world):
    client.cookies["django_language"] = "en"
    html = client.get(PUBLIC, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Participation rate" in html and "Ratings" in html
