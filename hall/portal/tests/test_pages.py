"""Public pages, error pages, language choice and the health check."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hall.portal.constants import COLUMNS

pytestmark = pytest.mark.django_db


def test_home_is_chinese_with_landmarks_and_skip_link(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in body
    assert 'href="#main"' in body and 'id="main"' in body
    assert "<header" in body and "<nav" in body and "<footer" in body
    assert settings.HALL_PHONE in body
    for _slug, title, _text, _url in COLUMNS:
        assert str(title) in body


def test_browser_asking_for_english_still_gets_chinese(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in body
    assert "办事指南" in body


def test_language_switch_to_english_and_back(client):
    response = client.get(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Service guides" in body
    client.get(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "办事指南" in client.get("/").content.decode()


def test_unknown_language_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-evil"
    assert '<html lang="zh-CN">' in client.get("/").content.decode()


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client):
    response = client.get(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    response = client.get(
        reverse("set_language"), {"language": "<script>", "next": "//evil.example"}
    )
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_public_pages_carry_no_csrf_token(client):
    assert "csrfmiddlewaretoken" not in client.get("/").content.decode()


# What each column's page is: the page that serves it (None: the column's own
# placeholder page, until its service opens) and what only that page shows.
COLUMN_PAGES = {
    "guide": ("catalogue:browse", "<h1>办事指南</h1>", "按服务对象"),
    "track": ("cases:track", "<h1>办件查询</h1>", "输入申报后得到的查询号"),
    "policies": ("policies:list", "<h1>政策法规</h1>", "法律法规库"),
    "qa": ("qa:list", "<h1>网上答疑</h1>", "提问前可先搜索"),
    "announcements": ("announcements:index", "<h1>中心公告</h1>", "订阅公告（Atom）"),
    "agencies": ("agencies:list", "<h1>中介服务</h1>", "名录列出资质有效的机构"),
    # complaints hall
    "complaints": ("feedback:index", "<h1>投诉大厅</h1>", "已公开的投诉及答复"),
    # ratings figures: the public 好差评 page
    "ratings": ("ratings:public", "<h1>好差评</h1>", "国办发〔2019〕51号"),
}


def test_every_column_has_its_expected_page():
    assert list(COLUMN_PAGES) == [c[0] for c in COLUMNS]
    assert {slug: url for slug, _t, _x, url in COLUMNS} == {
        slug: page[0] for slug, page in COLUMN_PAGES.items()
    }


@pytest.mark.parametrize("slug", list(COLUMN_PAGES))
def test_each_column_page_answers(client, slug):
    url_name, heading, own_text = COLUMN_PAGES[slug]
    response = client.get(reverse("portal:column", args=[slug]))
    if url_name:
        assert response.status_code == 302
        assert response["Location"] == reverse(url_name)
        response = client.get(response["Location"])
    assert response.status_code == 200
    body = response.content.decode()
    main = body.split('id="main"', 1)[1].split("</main>", 1)[0]
    assert heading in main
    assert own_text in main
    # no other column's page
    for other, (_u, other_heading, other_text) in COLUMN_PAGES.items():
        if other != slug:
            assert other_heading not in main and other_text not in main, other
    placeholder = "本栏目正在整理内容，暂未开放网上服务" in main
    assert placeholder == (url_name is None)
    if placeholder:
        assert f'href="tel:{settings.HALL_PHONE}"' in main


def test_no_column_is_a_placeholder_any_more():
    # the complaints hall, the last placeholder, has its page (feedback:index)
    assert [slug for slug, _t, _x, url in COLUMNS if url is None] == []


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "/columns/..%2F..%2Fetc%2Fpasswd/",
        "/columns/<script>/",
        "/staff/departments/abc/",
    ],
)
def test_missing_pages_get_the_chinese_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "<script>" not in body.split("<body", 1)[1].split("</main>")[0].replace("<script>/", "")


def test_server_error_page_is_chinese(settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统繁忙" in html and 'lang="zh-CN"' in html


def test_csrf_failure_page_is_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("cases:track"), {"number": "x", "phone": "1"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
