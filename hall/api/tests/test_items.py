"""GET /api/v1/items and /api/v1/items/{code}, documented in OpenAPI."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(make_item, city_scjg):
    return [
        make_item(city_scjg, "企业营业执照设立登记", aliases="开公司"),
        make_item(city_scjg, "食品经营许可"),
    ]


def test_search_items(client, items):
    data = client.get("/api/v1/items", {"q": "yyzz"}).json()
    assert data["count"] == 1
    hit = data["results"][0]
    assert hit["name"] == "企业营业执照设立登记"
    assert hit["department"] == "衢州市市场监督管理局"
    assert set(hit) >= {"code", "online_depth", "promised_days", "statutory_days"}


def test_filter_by_department(client, items):
    assert client.get("/api/v1/items", {"department": "SCJG", "q": "许可"}).json()["count"] == 1
    assert client.get("/api/v1/items", {"department": "ZRZY", "q": "许可"}).json()["count"] == 0


def test_item_detail_has_the_whole_guide(client, items):
    data = client.get(f"/api/v1/items/{items[0].code}").json()
    assert data["code"] == items[0].code
    assert [m["submission"] for m in data["materials"]] == ["online", "onsite"]
    assert data["conditions"] == ["申请人具有完全民事行为能力", "材料齐全"]
    assert data["type_label"] == "行政许可"


LICENCE, FOOD = "企业营业执照设立登记", "食品经营许可"


@pytest.mark.parametrize(
    ("params", "query", "count", "names"),
    [
        # cut to 50 characters, and no item is called that
        ({"q": "x" * 10_000}, "x" * 50, 0, []),
        # markup and SQL are searched as the words they leave, and match nothing
        ({"q": "<script>"}, "script", 0, []),
        ({"q": "' OR 1=1"}, "or 1 1", 0, []),
        ({"q": "😀"}, "😀", 0, []),
        # a LIKE wildcard is not one: only the literal text around it is searched
        ({"q": "营业%"}, "营业", 1, [LICENCE]),
        ({"q": "%"}, "", 2, [LICENCE, FOOD]),
        # control characters are dropped, the rest still finds the item
        ({"q": "营业\x00执照"}, "营业执照", 1, [LICENCE]),
        # limits are clamped to 1..100, offsets to 0 and beyond the end is empty
        ({"limit": "-5"}, "", 2, [LICENCE]),
        ({"limit": "100000"}, "", 2, [LICENCE, FOOD]),
        ({"offset": "-1"}, "", 2, [LICENCE, FOOD]),
        ({"offset": "99999999"}, "", 2, []),
    ],
    ids=[
        "long",
        "markup",
        "sql",
        "emoji",
        "wildcard-in-text",
        "wildcard-alone",
        "control-character",
        "limit-negative",
        "limit-huge",
        "offset-negative",
        "offset-beyond",
    ],
)
def test_hostile_queries_answer_json(client, items, params, query, count, names):
    response = client.get("/api/v1/items", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"count", "query", "results"}
    assert (data["query"], data["count"]) == (query, count)
    assert [hit["name"] for hit in data["results"]] == names
    for hit in data["results"]:
        assert hit["url"] == f"/items/{hit['code']}/"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "many"}, "limit"), ({"offset": "1.5"}, "offset"), ({"limit": "1e9"}, "limit")],
)
def test_malformed_numbers_get_a_chinese_json_error(client, items, params, field):
    response = client.get("/api/v1/items", params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数有误，请检查后重试。"
    assert [(e["field"], e["message"]) for e in body["errors"]] == [(field, "参数格式不正确。")]


def test_malformed_parameters_get_a_chinese_json_error(client, items):
    response = client.get("/api/v1/items", {"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数有误，请检查后重试。"
    assert body["errors"][0]["field"] == "limit"


def test_unknown_item_is_404(client, items):
    assert client.get("/api/v1/items/330800-SCJG-XK-9999").status_code == 404
    assert client.get("/api/v1/items/..%2F..%2Fetc").status_code == 404


def test_openapi_documents_the_item_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/items" in schema["paths"]
    assert "/api/v1/items/{code}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.content.decode().lower()
