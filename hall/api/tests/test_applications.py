"""POST /api/v1/applications and GET /api/v1/applications/{number}?phone=…"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PDF_BYTES
from hall.cases import querynumbers
from hall.cases.models import Case

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications"


@pytest.fixture(autouse=True)
def day_long_windows(settings):
    """The same limits over a day-long window, so a test never straddles a window boundary."""
    settings.LOOKUP_LIMIT_PER_CLIENT = (20, 86400)
    settings.LOOKUP_LIMIT_PER_NUMBER = (10, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT = (30, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT_NUMBER = (5, 86400)


def payload(item, **changes):
    material = item.materials.get(name="食品经营许可申请书")
    data = {
        "item_code": item.code,
        "applicant_kind": "company",
        "applicant_name": "衢州市示范科技有限公司",
        "id_number": "91350100M000100Y43",
        "phone": "13857012345",
        "f_shop_name": "示范便利店",
        "f_area": "20",
        "f_category": "食品销售",
        f"m_{material.pk}": SimpleUploadedFile("申请书.pdf", PDF_BYTES),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_submit_returns_201_with_a_query_number(client, online_item):
    response = client.post(URL, payload(online_item))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["query_number"] == case.display_number
    assert querynumbers.is_valid(querynumbers.normalise(body["query_number"]))
    assert case.id_type == "uscc" and case.files.count() == 1


def test_retry_with_the_same_idempotency_key_makes_one_case(client, online_item):
    key = str(uuid.uuid4())
    first = client.post(URL, payload(online_item, idempotency_key=key))
    second = client.post(URL, payload(online_item, idempotency_key=key))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["query_number"] == second.json()["query_number"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "91350100M000100Y44"}, "id_number", "统一社会信用代码"),
        ({"phone": "<script>"}, "phone", "手机号码"),
        ({"applicant_name": ""}, "applicant_name", "必填"),
        ({"f_shop_name": ""}, "f_shop_name", "必填"),
        ({"idempotency_key": "'; DROP TABLE cases_case; --"}, "idempotency_key", "UUID"),
    ],
)
def test_errors_are_json_with_field_names_and_chinese_messages(
    client, online_item, changes, field, message
):
    response = client.post(URL, payload(online_item, **changes))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "申请内容有误，请按提示修改后重新提交。"
    assert any(e["field"] == field and message in e["message"] for e in body["errors"]), body
    assert Case.objects.count() == 0


def test_missing_required_material_and_foreign_material(client, online_item):
    material = online_item.materials.get(name="食品经营许可申请书")
    response = client.post(
        URL,
        payload(
            online_item,
            **{f"m_{material.pk}": None, "m_999999": SimpleUploadedFile("a.pdf", PDF_BYTES)},
        ),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {f"m_{material.pk}", "m_999999"} <= fields
    assert Case.objects.count() == 0


def test_a_disguised_file_is_refused(client, online_item):
    material = online_item.materials.get(name="食品经营许可申请书")
    bad = SimpleUploadedFile("申请书.pdf", b"MZ" + b"\x00" * 100)
    response = client.post(URL, payload(online_item, **{f"m_{material.pk}": bad}))
    assert response.status_code == 422
    assert "内容不是允许的格式" in response.json()["errors"][0]["message"]
    assert Case.objects.count() == 0


def test_depth_two_and_unknown_items(client, online_item):
    from hall.catalogue.models import ServiceItem

    assert (
        client.post(URL, payload(online_item, item_code="330800-SCJG-XK-9999")).status_code == 404
    )
    ServiceItem.objects.filter(pk=online_item.pk).update(online_depth=2)
    response = client.post(URL, payload(online_item))
    assert response.status_code == 400
    assert "暂不支持网上申报" in response.json()["detail"]
    assert Case.objects.count() == 0


def test_status_lookup(client, make_case):
    case = make_case()
    response = client.get(f"{URL}/{case.display_number.lower()}", {"phone": "2345"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted" and body["status_label"] == "已提交（待预审）"
    assert body["timeline"][0]["status"] == "submitted"
    assert "预审" in body["next_step"]


def test_wrong_phone_and_wrong_number_get_the_same_answer(client, make_case):
    case = make_case()
    wrong_phone = client.get(f"{URL}/{case.query_number}", {"phone": "13900000000"})
    unknown = client.get(f"{URL}/{querynumbers.generate()}", {"phone": "13857012345"})
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.json() == unknown.json()


def test_a_typo_is_caught_by_the_check_symbol(client, make_case):
    case = make_case()
    typo = case.query_number[:-1] + ("0" if case.query_number[-1] != "0" else "1")
    response = client.get(f"{URL}/{typo}", {"phone": "13857012345"})
    assert response.status_code == 400
    assert "查询号有误" in response.json()["detail"]


def test_lookups_are_rate_limited(client, make_case):
    codes = [
        client.get(f"{URL}/{querynumbers.generate()}", {"phone": "1"}).status_code
        for _ in range(22)
    ]
    assert codes[:20] == [404] * 20 and codes[20:] == [429, 429]
    assert client.get(f"{URL}/x", {"phone": "1"}).json()["detail"] == "查询过于频繁，请稍后再试。"


def test_missing_phone_is_a_json_error(client, make_case):
    case = make_case()
    response = client.get(f"{URL}/{case.query_number}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "phone"


def test_openapi_documents_the_application_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/applications" in paths and "/api/v1/applications/{number}" in paths


# ---- the page and the API share one lookup rule and its counters ---------------


def page_lookup(number, phone, ip):
    from django.test import Client
    from django.urls import reverse

    return Client().post(reverse("cases:track"), {"number": number, "phone": phone}, REMOTE_ADDR=ip)


def api_lookup(number, phone, ip):
    from django.test import Client

    return Client().get(f"{URL}/{number}", {"phone": phone}, REMOTE_ADDR=ip)


MISSES = {"page": page_lookup, "api": api_lookup}


@pytest.mark.parametrize(("miss_by", "then_by"), [("api", "page"), ("page", "api")])
def test_misses_on_a_number_count_on_the_page_and_through_the_api_alike(
    settings, make_case, miss_by, then_by
):
    settings.LOOKUP_LIMIT_PER_NUMBER = (3, 86400)
    case = make_case()
    for i in range(3):
        MISSES[miss_by](case.query_number, f"1390000{i:04d}", f"10.3.0.{i}")
    # the number is guarded whichever way it was missed: four digits are not enough...
    four = MISSES[then_by](case.query_number, case.phone[-4:], "10.4.0.1")
    assert four.status_code in (200, 400)
    answer = four.json()["detail"] if then_by == "api" else four.content.decode()
    assert "完整手机号码" in answer
    # ...the whole phone, from a fresh client, is let through
    assert MISSES[then_by](case.query_number, case.phone, "10.4.0.1").status_code in (200, 302)
    other = make_case()
    assert MISSES[then_by](other.query_number, other.phone[-4:], "10.4.0.2").status_code in (
        200,
        302,
    )


@pytest.mark.parametrize(("used_by", "then_by"), [("api", "page"), ("page", "api")])
def test_a_clients_lookups_count_on_the_page_and_through_the_api_alike(
    settings, make_case, used_by, then_by
):
    settings.LOOKUP_LIMIT_PER_CLIENT = (3, 86400)
    case = make_case()
    for _ in range(3):
        MISSES[used_by](querynumbers.generate(), "13857012345", "10.5.0.1")
    assert MISSES[then_by](case.query_number, case.phone, "10.5.0.1").status_code == 429
    assert MISSES[then_by](case.query_number, case.phone, "10.5.0.2").status_code in (200, 302)


@pytest.mark.parametrize(
    "changes",
    [
        {"id_number": "91350100M000100Y44"},
        {"phone": "<script>", "applicant_name": ""},
        {"f_area": "0", "f_category": "不存在的类别"},
        {"required_material": None},
    ],
)
def test_the_api_refuses_an_application_as_the_apply_page_does(client, online_item, changes):
    """One validation: the same fields refused with the same messages."""
    from django.test import Client
    from django.urls import reverse

    material = online_item.materials.get(name="食品经营许可申请书")
    if "required_material" in changes:
        changes = {f"m_{material.pk}": None}
    api = client.post(URL, payload(online_item, **changes))
    page = Client().post(
        reverse("cases:apply", args=[online_item.code]),
        {**payload(online_item, **changes), "submission_token": str(uuid.uuid4())},
    )
    assert (api.status_code, page.status_code) == (422, 200)
    api_errors = {}
    for e in api.json()["errors"]:
        api_errors.setdefault(e["field"], []).append(e["message"])
    page_errors = {f: list(ms) for f, ms in page.context["form"].errors.items()}
    assert api_errors == page_errors and page_errors
    assert Case.objects.count() == 0
