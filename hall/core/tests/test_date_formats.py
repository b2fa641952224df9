"""Dates follow the page's language: 2026年12月3日 in Chinese, 3 December 2026 in English."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def english_date(day) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


@pytest.mark.parametrize("page", ["case", "notice"])
def test_staff_pages_write_dates_in_the_pages_language(login_as, make_case, page):
    case = make_case("accepted")
    clerk = login_as("scjg_clerk")
    url = reverse("cases:staff_case" if page == "case" else "cases:notice", args=[case.pk])
    chinese = clerk.get(url).content.decode()
    assert CHINESE_DATE.search(chinese)
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = clerk.get(url).content.decode()
    # the SMS log quotes the messages as they were sent (in Chinese): leave it out
    english = re.sub(r"<section[^>]*notifications-title.*?</section>", "", english, flags=re.S)
    assert CHINESE_DATE.search(english) is None, CHINESE_DATE.search(english).group(0)
    if page == "case":
        assert english_date(case.promised_due) in english


def test_the_applicants_status_page_in_english(client, make_case, settings):
    settings.LOOKUP_LIMIT_PER_CLIENT = (50, 86400)
    case = make_case("accepted")
    response = client.post(
        reverse("cases:track"), {"number": case.query_number, "phone": case.phone}
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(response["Location"]).content.decode()
    assert CHINESE_DATE.search(page) is None
    assert english_date(case.promised_due) in page


def test_the_halls_own_history_note_is_read_in_the_pages_language(login_as, make_case):
    from hall.cases.tests import factories

    case = make_case("suspended")
    factories.resume(case, factories.clerk_of(case.department))
    assert case.history.last().reason == "特别程序结束，恢复计时"  # stored in the source language
    clerk = login_as("scjg_clerk")
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = clerk.get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert "特别程序结束" not in page
    assert "Special procedure ended; clock restarted" in page
