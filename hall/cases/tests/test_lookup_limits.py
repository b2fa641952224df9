"""A status lookup cannot lock out its applicant, and guessing stays throttled.

Strangers' failed tries on a query number never refuse it: past a count they
only guard it (the whole phone number is needed). Refusals (429 with
Retry-After) fall on the client: its failed tries on one number, and on all
numbers. The track page and the API count on the same counters."""

import pytest
from django.test import Client
from django.urls import reverse

from hall.cases import querynumbers

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"
WRONG = "13900000000"
TOO_MANY = "查询过于频繁，请稍后再试"
WHOLE = "请输入申请时填写的完整手机号码"


@pytest.fixture(autouse=True)
def day_long_windows(settings):
    """Day-long windows, so a test never straddles a window boundary; the burst
    limit on all lookups is out of the way unless a test sets it."""
    settings.LOOKUP_LIMIT_PER_CLIENT = (10_000, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT = (30, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT_NUMBER = (5, 86400)
    settings.LOOKUP_LIMIT_PER_NUMBER = (10, 86400)


def page(number, phone, ip):
    return Client().post(reverse("cases:track"), {"number": number, "phone": phone}, REMOTE_ADDR=ip)


def api(number, phone, ip):
    return Client().get(f"{API}/{number}", {"phone": phone}, REMOTE_ADDR=ip)


CHANNELS = {"page": page, "api": api}
FOUND = {"page": 302, "api": 200}


def text(response) -> str:
    """The page, or the API's messages."""
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return " ".join([body["detail"], *(e["message"] for e in body.get("errors", []))])
    return response.content.decode()


def assert_refused(response, window=86400):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= window
    assert TOO_MANY in text(response)


def wrong_phone(i: int) -> str:
    return f"1390000{i:04d}"


@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_right_phone_works_after_strangers_fail_from_fifty_addresses(make_case, channel):
    case = make_case()
    look = CHANNELS[channel]
    for i in range(50):
        look(case.query_number, wrong_phone(i), f"10.20.{i // 250}.{i % 250 + 1}")
    assert look(case.query_number, case.phone, "10.21.0.1").status_code == FOUND[channel]
    # the last four digits are asked to be the whole number, never refused
    four = look(case.query_number, case.phone[-4:], "10.21.0.2")
    assert four.status_code in (200, 400)
    assert WHOLE in text(four)
    assert look(case.query_number, case.phone, "10.21.0.2").status_code == FOUND[channel]


def test_a_guarded_number_answers_alike_whether_it_exists_or_not(make_case):
    case = make_case()
    unknown = querynumbers.generate()
    for number in (case.query_number, unknown):
        for i in range(10):
            api(number, wrong_phone(i), f"10.22.0.{i + 1}")
    known, missing = api(case.query_number, "0000", "10.23.0.1"), api(unknown, "0000", "10.23.0.1")
    assert known.status_code == missing.status_code == 400
    assert known.json() == missing.json()


@pytest.mark.parametrize("channel", ["page", "api"])
def test_guessing_one_number_is_throttled_per_client(make_case, channel):
    case = make_case()
    other = make_case()
    look = CHANNELS[channel]
    for i in range(5):
        assert look(case.query_number, wrong_phone(i), "10.30.0.1").status_code in (200, 404)
    # this client, on this number: refused even with the right phone
    assert_refused(look(case.query_number, case.phone, "10.30.0.1"))
    # the same client on another number, and another client on this one, go on
    assert look(other.query_number, other.phone, "10.30.0.1").status_code == FOUND[channel]
    assert look(case.query_number, case.phone, "10.30.0.2").status_code == FOUND[channel]


@pytest.mark.parametrize("channel", ["page", "api"])
def test_guessing_many_numbers_is_throttled_per_client(make_case, channel):
    case = make_case()
    look = CHANNELS[channel]
    for _ in range(30):
        assert look(querynumbers.generate(), case.phone, "10.31.0.1").status_code in (200, 404)
    assert_refused(look(case.query_number, case.phone, "10.31.0.1"))
    assert look(case.query_number, case.phone, "10.31.0.2").status_code == FOUND[channel]


def test_the_burst_limit_on_every_lookup_says_when_to_come_back(settings, make_case):
    settings.LOOKUP_LIMIT_PER_CLIENT = (3, 60)
    case = make_case()
    for _ in range(3):
        page(case.query_number, case.phone, "10.32.0.1")
    assert_refused(page(case.query_number, case.phone, "10.32.0.1"), window=60)
    assert_refused(api(case.query_number, case.phone, "10.32.0.1"), window=60)


def test_a_guarded_number_still_holds_each_guesser_to_its_limits(make_case):
    """Guessing whole phone numbers on a guarded number is still counted per client."""
    case = make_case()
    for i in range(10):
        api(case.query_number, wrong_phone(i), f"10.33.0.{i + 1}")
    for i in range(5):
        assert api(case.query_number, wrong_phone(100 + i), "10.34.0.1").status_code == 404
    assert_refused(api(case.query_number, case.phone, "10.34.0.1"))
    assert api(case.query_number, case.phone, "10.34.0.2").status_code == 200


def test_asking_with_four_digits_on_a_guarded_number_is_not_a_miss(make_case):
    """The applicant who tries the last four digits first is not held back for it."""
    case = make_case()
    for i in range(10):
        api(case.query_number, wrong_phone(i), f"10.35.0.{i + 1}")
    for _ in range(10):
        assert api(case.query_number, case.phone[-4:], "10.36.0.1").status_code == 400
    assert api(case.query_number, case.phone, "10.36.0.1").status_code == 200


@pytest.mark.parametrize(("miss_by", "then_by"), [("api", "page"), ("page", "api")])
def test_a_miss_on_one_channel_counts_on_the_other(make_case, miss_by, then_by):
    case = make_case()
    # per (client, number)
    for i in range(5):
        CHANNELS[miss_by](case.query_number, wrong_phone(i), "10.40.0.1")
    assert_refused(CHANNELS[then_by](case.query_number, case.phone, "10.40.0.1"))
    # per client, over all numbers
    for _ in range(30):
        CHANNELS[miss_by](querynumbers.generate(), case.phone, "10.41.0.1")
    assert_refused(CHANNELS[then_by](case.query_number, case.phone, "10.41.0.1"))
    # per number, from everyone: guarded on the other channel
    other = make_case()
    for i in range(10):
        CHANNELS[miss_by](other.query_number, wrong_phone(i), f"10.42.0.{i + 1}")
    four = CHANNELS[then_by](other.query_number, other.phone[-4:], "10.43.0.1")
    assert WHOLE in text(four)
