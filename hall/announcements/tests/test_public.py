"""The public column: lists, filters, search, feeds, export, home panel, API."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from hall.announcements.models import Announcement, ResultEntry, ResultSettings
from hall.cases.tests.factories import ApplicantFactory, CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(city_scjg):
    now = timezone.now()
    center = city_scjg.center
    make = Announcement.objects.create
    return {
        "old": make(center=center, category="notice", title="办公时间调整通知", body="a",
                    publish_at=now - timedelta(days=5)),
        "new": make(center=center, category="other", title="大厅停车场改造公告", body="b",
                    publish_at=now - timedelta(days=1)),
        "pinned": make(center=center, category="notice", title="置顶：窗口服务承诺", body="c",
                       pinned=True, publish_at=now - timedelta(days=9)),
        "expired": make(center=center, category="notice", title="已过期的公告", body="d",
                        publish_at=now - timedelta(days=9), expires_at=now - timedelta(days=1)),
        "future": make(center=center, category="notice", title="尚未发布的公告", body="e",
                       publish_at=now + timedelta(days=1)),
    }  # fmt: skip


@pytest.fixture
def results(online_item, make_item, city_scjg):
    """Two flagged items, three public results (one withdrawn), hold 0."""
    ResultSettings.objects.create(center=city_scjg.center, hold_days=0)
    online_item.publish_decisions = True
    online_item.result_fields = ["applicant", "credit_code", "decision_date"]
    online_item.save()
    other = make_item(
        city_scjg,
        "排污许可证核发",
        publish_decisions=True,
        result_fields=["applicant", "credit_code"],
    )
    company = ApplicantFactory(
        kind="company", name="衢州绿源环保科技有限公司", id_type="uscc",
        id_number="91330800MA2DABCD1X",
    )  # fmt: skip
    a = CaseFactory(item=online_item, applicant=ApplicantFactory(name="李四"), approved=True)
    b = CaseFactory(item=other, applicant=company, approved=True)
    c = CaseFactory(item=online_item, applicant=ApplicantFactory(name="王五"), approved=True)
    entries = {k: ResultEntry.objects.get(case=v) for k, v in {"a": a, "b": b, "c": c}.items()}
    ResultEntry.objects.filter(pk=entries["a"].pk).update(
        decided_at=timezone.now() - timedelta(days=20)
    )
    from hall.announcements.services import result_withdraw
    from hall.org.models import User

    result_withdraw(
        actor=User.objects.get(username="city_admin"), entry=entries["c"], reason="录入有误"
    )
    return entries


def _titles(page):
    return [line for line in page.split("\n") if 'class="item-row"' in line]


def test_list_pinned_first_then_newest_expired_and_future_hidden(client, notices):
    page = client.get("/announcements/").content.decode()
    rows = _titles(page)
    order = [next(i for i, r in enumerate(rows) if n.title in r) for n in
             (notices["pinned"], notices["new"], notices["old"])]  # fmt: skip
    assert order == sorted(order)
    assert "已过期的公告" not in page and "尚未发布的公告" not in page
    assert client.get(f"/announcements/{notices['expired'].pk}/").status_code == 404
    assert client.get(f"/announcements/{notices['future'].pk}/").status_code == 404
    assert client.get(f"/announcements/{notices['new'].pk}/").status_code == 200


@pytest.mark.parametrize("q", ["停车", "停", "tingche", "tcc"])
def test_announcement_search(client, notices, q):
    page = client.get("/announcements/", {"q": q}).content.decode()
    assert "大厅停车场改造公告" in page
    assert "办公时间调整通知" not in page


def test_announcement_search_does_not_find_expired(client, notices):
    page = client.get("/announcements/", {"q": "过期"}).content.decode()
    assert "已过期的公告" not in page


def test_category_filter(client, notices):
    page = client.get("/announcements/", {"category": "other"}).content.decode()
    assert "大厅停车场改造公告" in page and "办公时间调整通知" not in page


def test_column_slug_opens_the_page(client):
    response = client.get("/columns/announcements/")
    assert response.status_code in (301, 302) and response["Location"].endswith("/announcements/")


def test_results_list_newest_first_and_filters(client, results, online_item):
    page = client.get("/announcements/results/").content.decode()
    rows = _titles(page)
    assert len(rows) == 3
    assert "李**" in rows[-1]  # decided 20 days ago: last
    assert "李四" not in page and "王**" not in page  # masked; withdrawn shows no name
    assert "已撤回" in page
    page = client.get("/announcements/results/", {"item": online_item.pk}).content.decode()
    assert "衢州绿源环保科技有限公司" not in page and len(_titles(page)) == 2
    start = (timezone.localdate() - timedelta(days=2)).isoformat()
    page = client.get("/announcements/results/", {"date_from": start}).content.decode()
    assert "李**" not in page and "衢州绿源环保科技有限公司" in page
    page = client.get(
        "/announcements/results/", {"department": online_item.department_id}
    ).content.decode()
    assert len(_titles(page)) == 3


@pytest.mark.parametrize("q", ["绿源", "绿", "lvyuan", "pwxkz", "91330800MA2DABCD1X"])
def test_results_search(client, results, q):
    page = client.get("/announcements/results/", {"q": q}).content.decode()
    assert "衢州绿源环保科技有限公司" in page
    assert "李**" not in page


def test_results_bad_filters_say_so(client, results):
    response = client.get("/announcements/results/", {"date_from": "2026-02-31"})
    assert response.status_code == 200 and "有效的日期" in response.content.decode()
    response = client.get("/announcements/results/", {"item": "9" * 30})
    assert "编号无效" in response.content.decode()
    assert client.get("/announcements/results/export.xlsx", {"item": "x"}).status_code == 400


def test_feeds(client, notices, results):
    feed = client.get("/announcements/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "大厅停车场改造公告" in body and "已过期的公告" not in body
    body = client.get("/announcements/results/feed/").content.decode()
    assert "衢州绿源环保科技有限公司" in body and "李四" not in body and "录入有误" in body


def test_export_respects_filters(client, results, online_item):
    from openpyxl import load_workbook

    response = client.get("/announcements/results/export.xlsx", {"item": online_item.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "事项" and len(rows) == 3
    names = {r[2] for r in rows[1:]}
    assert names == {"李**", None} or names == {"李**", ""}
    assert any("已撤回" in (r[-1] or "") for r in rows[1:])
    response = client.get("/announcements/results/export.xlsx", {"q": "绿源"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == "衢州绿源环保科技有限公司"


def test_home_page_panel(client, notices, results):
    page = client.get("/").content.decode()
    assert (
        "中心公告" in page and "大厅停车场改造公告" in page and "衢州绿源环保科技有限公司" in page
    )


def test_api_announcements(client, notices):
    data = client.get("/api/v1/announcements").json()
    titles = [r["title"] for r in data["results"]]
    assert data["count"] == 3 and titles[0] == "置顶：窗口服务承诺"
    data = client.get("/api/v1/announcements", {"q": "tingche"}).json()
    assert [r["title"] for r in data["results"]] == ["大厅停车场改造公告"]
    data = client.get("/api/v1/announcements", {"limit": 1, "offset": 1}).json()
    assert data["count"] == 3 and len(data["results"]) == 1
    bad = client.get("/api/v1/announcements", {"category": "x"})
    assert bad.status_code == 422 and "类别无效" in bad.json()["detail"]


def test_api_results(client, results, online_item):
    data = client.get("/api/v1/results").json()
    assert data["count"] == 3
    withdrawn = [r for r in data["results"] if r["withdrawn"]]
    assert withdrawn[0]["values"] == {} and withdrawn[0]["withdraw_reason"] == "录入有误"
    data = client.get("/api/v1/results", {"q": "绿源"}).json()
    assert data["count"] == 1 and data["results"][0]["applicant"] == "衢州绿源环保科技有限公司"
    data = client.get("/api/v1/results", {"item": str(online_item.pk)}).json()
    assert data["count"] == 2
    for params, words in [
        ({"date_from": "2026-13-01"}, "格式应为"),
        ({"item": "abc"}, "编号无效"),
        ({"date_from": "2026-12-02", "date_to": "2026-12-01"}, "不能晚于"),
    ]:
        bad = client.get("/api/v1/results", params)
        assert bad.status_code == 422 and words in bad.json()["detail"]
