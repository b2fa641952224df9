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


@pytest.mark.parametrize("slug", [c[0] for c in COLUMNS])
def test_each_column_page_answers(client, slug):
    response = client.get(reverse("portal:column", args=[slug]), follow=True)
    assert response.status_code == 200
    assert settings.HALL_PHONE in response.content.decode()


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
