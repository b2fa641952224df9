"""POST /api/v1/ratings: a token or number + phone; 201, 400/422, 403, 404,
409, 429 — Chinese messages, nothing saved on a refusal."""

import json
from urllib.parse import urlsplit

import pytest

from hall.ratings import stats, tokens
from hall.ratings.constants import Channel, Kind
from hall.ratings.models import Rating

pytestmark = pytest.mark.django_db
URL = "/api/v1/ratings"


@pytest.fixture(autouse=True)
def day_long_windows(settings):
    """Day-long windows, so a test never straddles a window boundary."""
    settings.LOOKUP_LIMIT_PER_CLIENT = (20, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT = (30, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT_NUMBER = (5, 86400)
    settings.RATING_API_LIMIT = (30, 86400)


def post(client, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **extra)


def test_number_and_phone_rate_a_finished_case(client, make_case):
    case = make_case("completed")
    response = post(
        client,
        {"number": case.display_number, "phone": "2345", "level": 4, "tags": ["quick"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level"], body["level_label"], body["kind"]) == (4, "满意", "finished")
    assert body["number"] == case.display_number and body["channel"] == Channel.API
    assert Rating.objects.get().tags == ["quick"]
    again = post(client, {"number": case.query_number, "phone": case.phone, "level": 5})
    assert again.status_code == 409 and "已经评价过" in again.json()["detail"]
    assert Rating.objects.get().level == 4


def test_a_token_rates_its_case_and_kind(client, make_case):
    case = make_case("rejected")
    token = urlsplit(tokens.link(case.pk, Kind.FINISHED)).path.split("/")[2]
    response = post(client, {"token": token, "level": 1, "comment": "材料要求前后不一致"})
    assert response.status_code == 201, response.content
    assert Rating.objects.get().level == 1
    assert post(client, {"token": token, "level": 1, "comment": "再评"}).status_code == 409


@pytest.mark.parametrize(
    "body, status, field, message",
    [
        ({"level": 5, "tags": ["attitude"]}, 400, "tags", "不属于该评价等级"),
        ({"level": 9}, 400, "level", "请选择评价等级"),
        ({"level": 2}, 400, "tags", "不满意的原因"),
        ({"level": 5, "comment": "长" * 10_000}, 400, "comment", "不能超过"),
        ({"level": 5, "kind": "best"}, 400, "kind", "评价类型不正确"),
        ({"level": "非常满意"}, 422, "level", "参数格式不正确"),
        ({"level": 5, "tags": "quick"}, 422, "tags", "参数格式不正确"),
    ],
)
def test_bad_fields_get_chinese_field_errors(client, make_case, body, status, field, message):
    case = make_case("completed")
    before = stats.stored()
    response = post(client, {"number": case.query_number, "phone": case.phone, **body})
    assert response.status_code == status, response.content
    errors = response.json()["errors"]
    assert any(e["field"].endswith(field) and message in e["message"] for e in errors), errors
    assert not Rating.objects.exists() and stats.stored() == before


def test_malformed_and_hostile_bodies_never_500(client, make_case):
    make_case("completed")
    for body in (b"\xff\xfe{not json", b"", "[]", '{"level": 5}'):
        response = post(client, body)
        assert response.status_code in (400, 422), (body, response.content)
        assert "请" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_a_case_not_finished_is_refused_with_a_message(client, make_case):
    case = make_case("accepted")
    response = post(client, {"number": case.query_number, "phone": case.phone, "level": 5})
    assert response.status_code == 400 and "尚未办结" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_unknown_case_wrong_phone_and_bad_tokens_are_404(client, make_case, time_machine):
    time_machine.move_to("2026-12-01 09:00 +0800", tick=False)
    case = make_case("completed")
    token = tokens.make(case.pk, Kind.FINISHED)
    for body in (
        {"number": case.query_number, "phone": "13900009999"},
        {"number": case.query_number[:-1] + "Z", "phone": case.phone},
        {"token": token[:-1] + ("A" if token[-1] != "A" else "B")},
        {"token": tokens.make(case.pk + 1000, Kind.FINISHED)},
        {"token": token, "kind": "follow_up"},
        {"token": tokens.make(case.pk, Kind.ACCEPTANCE)},
        {"number": case.query_number, "phone": case.phone, "kind": "follow_up"},
    ):
        response = post(client, {**body, "level": 5})
        assert response.status_code in (400, 404), (body, response.content)
        assert response.status_code == 404 or body["number"] != case.query_number
    time_machine.shift(61 * 86400)
    assert post(client, {"token": token, "level": 5}).status_code == 404
    assert not Rating.objects.exists()


def test_a_staff_session_is_refused(login_as, make_case):
    case = make_case("completed")
    client = login_as("scjg_clerk")
    response = post(client, {"number": case.query_number, "phone": case.phone, "level": 5})
    assert response.status_code == 403
    assert "工作人员不能代替申请人评价" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_posts_are_limited_per_client(client, make_case, settings):
    settings.RATING_API_LIMIT = (3, 86400)
    case = make_case("completed")
    codes = [
        post(client, {"number": case.query_number, "phone": "13900009999", "level": 5}).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]
    limited = post(client, {"number": case.query_number, "phone": case.phone, "level": 5})
    assert limited.status_code == 429 and limited["Retry-After"]
    assert "稍后再试" in limited.json()["detail"]
    # another client is not held back
    other = post(
        client,
        {"number": case.query_number, "phone": case.phone, "level": 5},
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 201


def test_the_endpoint_is_in_the_docs(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "post" in spec["paths"]["/api/v1/ratings"]
