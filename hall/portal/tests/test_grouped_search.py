"""The home page's one search box: items and every column, grouped, with counts."""

import pytest
from django.urls import reverse

from hall.core import textsearch
from hall.core.textsearch import Entry, TextIndex, search_text

pytestmark = pytest.mark.django_db

NOTICES = [
    Entry(
        pk,
        title,
        search_text(title),
        newest=pk,
        url=f"/notices/{pk}/",
        data={"label": "市场监督管理局", "number": f"衢市监〔2026〕{pk}号"},
    )
    for pk, title in enumerate(
        [
            "食品经营许可办理须知",
            "关于食品安全抽检的公告",
            "<script>alert(1)</script>食品",
            "建设工程规划公告",
        ]
        + [f"食品生产许可公示第{n}批" for n in range(1, 8)],
        start=1,
    )
]


@pytest.fixture
def column(make_item, city_scjg):
    make_item(city_scjg, "食品经营许可", aliases="餐饮许可证")
    index = TextIndex("test-notices", lambda: NOTICES, title="测试公告", list_url="portal:home")
    index.changed()
    yield index
    textsearch._REGISTRY.pop("test-notices", None)


def test_groups_with_counts_best_hits_and_a_link_to_each_full_list(client, column):
    body = client.get(reverse("portal:search"), {"q": "食品"}).content.decode()
    assert "找到 11 条与“食品”相关的结果" in body  # 1 item + 10 notices
    assert 'href="#group-items"' in body and 'href="#group-test-notices"' in body
    # Ten notices match; all title prefixes but two: the five newest of those.
    assert '<a href="/notices/11/"><mark>食品</mark>生产许可公示第7批</a>' in body
    assert [f'href="/notices/{pk}/"' in body for pk in (11, 10, 9, 8, 7, 1, 2)] == [True] * 5 + [
        False
    ] * 2
    assert "查看全部 10 条测试公告结果" in body and "/?q=%E9%A3%9F%E5%93%81" in body
    assert "衢市监〔2026〕11号" in body and "市场监督管理局 · 衢市监" in body
    script = client.get(reverse("portal:search"), {"q": "alert"}).content.decode()
    assert "<script>alert" not in script and "&lt;script&gt;<mark>alert</mark>" in script


def test_one_character_pinyin_and_initials_find_the_same(client, column):
    for q in ("食", "shipin", "sp"):
        body = client.get(reverse("portal:search"), {"q": q}).content.decode()
        body = body.replace("<mark>", "").replace("</mark>", "")
        assert 'href="/items/' in body and "食品经营许可" in body, q
        assert "查看全部 10 条测试公告结果" in body, q


def test_nothing_found_and_empty_and_hostile_queries_answer_plainly(client, column):
    body = client.get(reverse("portal:search"), {"q": "无此内容"}).content.decode()
    assert "没有找到与“无此内容”相关的内容。" in body
    assert "输入事项、政策文件" in client.get(reverse("portal:search")).content.decode()
    for q in ("x" * 10_000, "' OR 1=1 --", "../../etc/passwd", "\x00食品", "😀", "   "):
        assert client.get(reverse("portal:search"), {"q": q}).status_code == 200


def test_the_home_page_box_searches_everything(client):
    body = client.get("/").content.decode()
    assert f'action="{reverse("portal:search")}"' in body and "搜索全站" in body


def test_a_change_in_any_column_is_seen_at_once_by_visitors_without_a_session(client, column):
    url = reverse("portal:search")
    first = client.get(url, {"q": "公告"})
    assert first.status_code == 200 and "X-Page-Cache" not in first
    assert client.get(url, {"q": "公告"})["X-Page-Cache"] == "hit"
    NOTICES.append(Entry(99, "新发布的公告", search_text("新发布的公告"), newest=99, url="/n/99/"))
    try:
        column.changed()
        again = client.get(url, {"q": "公告"})
        assert "X-Page-Cache" not in again and 'href="/n/99/"' in again.content.decode()
    finally:
        NOTICES.pop()


def test_a_column_offers_only_what_it_may_offer(client, column):
    column.offered = lambda: lambda entry: entry.pk != 11  # say notice 11 lapsed
    try:
        body = client.get(reverse("portal:search"), {"q": "食品"}).content.decode()
    finally:
        column.offered = None
    assert "查看全部 9 条测试公告结果" in body and 'href="/notices/11/"' not in body
