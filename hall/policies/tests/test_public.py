"""The public column: list, filters, search, detail, files, feed, the guide's and
the home page's sections, and the API."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import PDF_BYTES
from hall.policies.models import PolicyAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(make_policy, make_item, city_scjg, kc_scjg):
    item = make_item(city_scjg, "食品经营许可")
    current = make_policy(
        city_scjg,
        "食品经营许可管理办法",
        doc_number="衢市监规〔2023〕3号",
        issued_on="2023-05-01",
        effective_on="2023-06-01",
        items=[item],
    )
    old = make_policy(
        city_scjg,
        "食品经营许可管理暂行办法",
        doc_number="衢市监规〔2019〕8号",
        issued_on="2019-02-01",
        effective_on="2019-02-01",
        status="revised",
        replaced_by=current,
        items=[item],
    )
    reading = make_policy(
        city_scjg,
        "食品经营许可管理办法政策解读",
        kind="interpretation",
        explains=current,
        issued_on="2023-05-03",
        effective_on="2023-05-03",
        items=[item],
    )
    county = make_policy(
        kc_scjg, "柯城区个体工商户登记工作通知", kind="notice", issuer="柯城区市场监督管理局"
    )
    draft = make_policy(city_scjg, "食品经营许可征求意见稿", published=False, items=[item])
    return {
        "item": item,
        "current": current,
        "old": old,
        "reading": reading,
        "county": county,
        "draft": draft,
    }


def titles(response):
    page = response.context["page"]
    return [getattr(row, "title", None) or row.entry.title for row in page]


def test_list_is_newest_first_and_hides_drafts(client, docs):
    response = client.get(reverse("policies:list"))
    assert titles(response) == [
        "柯城区个体工商户登记工作通知",
        "食品经营许可管理办法政策解读",
        "食品经营许可管理办法",
        "食品经营许可管理暂行办法",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "interpretation"}, ["食品经营许可管理办法政策解读"]),
        ({"status": "revised"}, ["食品经营许可管理暂行办法"]),
        ({"year": "2019"}, ["食品经营许可管理暂行办法"]),
        ({"kind": "bogus", "year": "x", "status": "<script>"}, None),  # ignored
    ],
)
def test_filters(client, docs, query, expected):
    got = titles(client.get(reverse("policies:list"), query))
    assert got == expected if expected is not None else len(got) == 4


def test_department_filter(client, docs, kc_scjg):
    got = titles(client.get(reverse("policies:list"), {"department": kc_scjg.pk}))
    assert got == ["柯城区个体工商户登记工作通知"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("食", 3),  # one character
        ("解读", 1),  # two characters
        ("shipin", 3),  # pinyin
        ("spjyxk", 3),  # initials
        ("衢市监规〔2019〕8号", 1),  # the document number as written
        ("scjdgl", 4),  # the issuing body's initials (…市场监督管理局), in no title
        ("征求意见", 0),  # a draft is not found
    ],
)
def test_search(client, docs, q, expected):
    response = client.get(reverse("policies:list"), {"q": q})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == expected


def test_search_keeps_the_filters(client, docs):
    response = client.get(reverse("policies:list"), {"q": "食品", "status": "in_force"})
    assert titles(response) == ["食品经营许可管理办法政策解读", "食品经营许可管理办法"]


def test_detail_shows_links(client, docs):
    html = client.get(reverse("policies:detail", args=[docs["old"].pk])).content.decode()
    assert "已修订" in html and reverse("policies:detail", args=[docs["current"].pk]) in html
    html = client.get(reverse("policies:detail", args=[docs["current"].pk])).content.decode()
    assert "食品经营许可管理办法政策解读" in html  # its interpretation
    assert reverse("catalogue:item", args=[docs["item"].code]) in html
    assert "衢市监规〔2023〕3号" in html
    html = client.get(reverse("policies:detail", args=[docs["reading"].pk])).content.decode()
    assert "解读的文件" in html
    assert client.get(reverse("policies:detail", args=[docs["draft"].pk])).status_code == 404


def test_attachment_only_while_published(client, docs, user_named):
    from hall.policies import services

    attachment = PolicyAttachment(document=docs["current"], name="流程图.pdf", kind="pdf")
    attachment.file.save("a.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    url = reverse("policies:attachment", args=[docs["current"].pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    services.policy_publish(actor=user_named("scjg_admin"), document=docs["current"], publish=False)
    assert client.get(url).status_code == 404
    # Staff of the department still read it.
    staff_url = reverse("policies:staff_attachment", args=[docs["current"].pk, attachment.pk])
    client.force_login(user_named("scjg_admin"), backend="hall.org.backends.StaffBackend")
    assert client.get(staff_url).status_code == 200
    client.force_login(user_named("kc_scjg_admin"), backend="hall.org.backends.StaffBackend")
    assert client.get(staff_url).status_code == 404


def test_feed(client, docs):
    response = client.get(reverse("policies:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 4 and "征求意见稿" not in body
    assert "衢市监规〔2023〕3号" in body


def test_guide_lists_only_current_published_policies(client, docs):
    html = client.get(reverse("catalogue:item", args=[docs["item"].code])).content.decode()
    section = html.split('id="sec-policies"')[1].split("</section>")[0]
    assert "食品经营许可管理办法" in section and "政策解读" in section
    assert "暂行办法" not in section and "征求意见稿" not in section


def test_home_shows_the_newest_five(client, docs):
    html = client.get(reverse("portal:home")).content.decode()
    assert "最新政策" in html and "柯城区个体工商户登记工作通知" in html
    assert reverse("policies:list") in html


def test_column_and_regulations_link_both_ways(client, db):
    assert client.get("/columns/policies/")["Location"] == reverse("policies:list")
    assert reverse("policies:list") in client.get(reverse("catalogue:regulations")).content.decode()
    assert reverse("catalogue:regulations") in client.get(reverse("policies:list")).content.decode()


def test_api_list_and_detail(client, docs, kc_scjg):
    data = client.get("/api/v1/policies").json()
    assert data["count"] == 4 and data["results"][0]["title"] == "柯城区个体工商户登记工作通知"
    assert client.get("/api/v1/policies", {"q": "spjy"}).json()["count"] == 3
    assert (
        client.get("/api/v1/policies", {"q": "食", "kind": "interpretation"}).json()["count"] == 1
    )
    assert client.get("/api/v1/policies", {"department": kc_scjg.pk}).json()["count"] == 1
    assert (
        client.get("/api/v1/policies", {"year": "2019", "status": "revised"}).json()["count"] == 1
    )
    paged = client.get("/api/v1/policies", {"limit": 1, "offset": 1}).json()
    assert paged["count"] == 4 and len(paged["results"]) == 1
    detail = client.get(f"/api/v1/policies/{docs['old'].pk}").json()
    assert detail["replaced_by"]["id"] == docs["current"].pk
    assert detail["status_label"] == "已修订"
    for bad in (docs["draft"].pk, 999999, "abc", "9" * 30):
        response = client.get(f"/api/v1/policies/{bad}")
        assert response.status_code == 404
        assert response.json()["detail"] == "没有找到该政策文件，它可能尚未发布或已被删除。"


@pytest.mark.parametrize(
    "q", ["<script>alert(1)</script>", "x" * 10_000, "😀", "   ", "营业\x00执照", "' OR 1=1"]
)
def test_bad_queries_answer(client, docs, q):
    assert client.get(reverse("policies:list"), {"q": q}).status_code == 200
    assert client.get("/api/v1/policies", {"q": q}).status_code == 200
