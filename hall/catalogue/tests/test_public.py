"""The public catalogue: browse, guide page (七公开), downloads, regulations."""

import pytest
from django.urls import reverse

from hall.catalogue.models import ItemBasis, Regulation, RegulationArticle, ServiceItem, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(make_item, city_scjg):
    item = make_item(city_scjg, "食品经营许可", aliases="餐饮许可证", depth=3)
    law = Regulation.objects.create(
        center=city_scjg.center,
        title="中华人民共和国食品安全法",
        issuer="全国人民代表大会常务委员会",
        level="law",
    )
    rule = Regulation.objects.create(
        center=city_scjg.center,
        title="食品经营许可管理办法",
        issuer="国家市场监督管理总局",
        level="dept_rule",
    )
    ItemBasis.objects.create(
        item=item,
        article=RegulationArticle.objects.create(regulation=rule, number="第二条", text="规章条文"),
    )
    ItemBasis.objects.create(
        item=item,
        article=RegulationArticle.objects.create(
            regulation=law, number="第三十五条", text="法律条文"
        ),
    )
    theme = Theme.objects.create(slug="food-test", name="餐饮开店", audience="company")
    item.themes.add(theme)
    return item


def test_guide_page_shows_every_section_in_the_order_people_think(client, item):
    response = client.get(reverse("catalogue:item", args=[item.code]))
    body = response.content.decode()
    assert response.status_code == 200
    sections = [
        "申报材料",
        "设定依据",
        "受理条件",
        "办理程序",
        "办理时限",
        "收费标准及依据",
        "办理结果",
        "办理地点、时间和电话",
    ]
    positions = [body.index(f">{s}</h2>") for s in sections]
    assert positions == sorted(positions)
    assert "在线提交" in body and "现场提交" in body
    # legal bases: the law before the departmental rule
    assert body.index("中华人民共和国食品安全法") < body.index("食品经营许可管理办法")
    assert "可以网上申报" in body
    assert f"/items/{item.code}/apply/" in body
    assert ServiceItem.objects.get(pk=item.pk).view_count == item.view_count + 1


def test_depth_below_three_says_what_to_bring_where(client, item):
    ServiceItem.objects.filter(pk=item.pk).update(online_depth=2)
    body = client.get(reverse("catalogue:item", args=[item.code])).content.decode()
    assert "暂不支持网上申报" in body
    assert "行政服务中心二楼" in body


def test_unpublished_and_unknown_items_are_404(client, item):
    ServiceItem.objects.filter(pk=item.pk).update(is_published=False)
    assert client.get(reverse("catalogue:item", args=[item.code])).status_code == 404
    for code in ["nope", "..%2F..%2Fetc", "<script>"]:
        assert client.get(f"/items/{code}/").status_code == 404


def test_print_version(client, item):
    response = client.get(reverse("catalogue:item_print", args=[item.code]))
    assert response.status_code == 200
    assert "办事指南（打印版）" in response.content.decode()


def test_template_download_serves_the_file_as_an_attachment(client, item):
    from django.core.files.base import ContentFile

    material = item.materials.get(name="申请书")
    material.template.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    material.template_name = "申请书（空白表格）.pdf"
    material.save()
    response = client.get(
        reverse("catalogue:material_file", args=[item.code, material.pk, "template"])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # no example uploaded; wrong kind; another item's code; unpublished item
    assert (
        client.get(
            reverse("catalogue:material_file", args=[item.code, material.pk, "example"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("catalogue:material_file", args=[item.code, material.pk, "..%2F"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse(
                "catalogue:material_file", args=["330800-SCJG-XK-9999", material.pk, "template"]
            )
        ).status_code
        == 404
    )
    ServiceItem.objects.filter(pk=item.pk).update(is_published=False)
    assert (
        client.get(
            reverse("catalogue:material_file", args=[item.code, material.pk, "template"])
        ).status_code
        == 404
    )


def test_browse_by_department_theme_and_applicant(client, item, city_scjg):
    url = reverse("catalogue:browse")
    home = client.get(url).content.decode()
    assert city_scjg.name in home and "餐饮开店" in home
    assert "食品经营许可" in client.get(url, {"department": city_scjg.pk}).content.decode()
    assert "食品经营许可" in client.get(url, {"theme": "food-test"}).content.decode()
    assert "食品经营许可" in client.get(url, {"applicant": "company"}).content.decode()
    assert "食品经营许可" not in client.get(url, {"applicant": "person"}).content.decode()
    assert client.get(url, {"department": "abc"}).status_code == 404
    assert client.get(url, {"department": "99999999"}).status_code == 404
    assert client.get(url, {"theme": "<script>"}).status_code == 404


def test_search_page_highlights_and_suggests_when_nothing_found(client, item):
    body = client.get(reverse("catalogue:search"), {"q": "食品"}).content.decode()
    assert "<mark>食品</mark>经营许可" in body
    empty = client.get(
        reverse("catalogue:search"), {"q": "<script>alert(1)</script>"}
    ).content.decode()
    assert "没有找到" in empty and "按部门、主题或个人/企业浏览全部事项" in empty
    assert "<script>alert(1)</script>" not in empty
    long = client.get(reverse("catalogue:search"), {"q": "营" * 10_000})
    assert long.status_code == 200


def test_home_lists_most_requested(client, item, make_item, city_scjg):
    popular = make_item(city_scjg, "热门事项甲")
    ServiceItem.objects.filter(pk=popular.pk).update(application_count=99999)
    body = client.get("/").content.decode()
    assert "热门事项甲" in body
    assert body.index("热门事项甲") < body.index("服务栏目")


def test_regulation_pages(client, item):
    law = Regulation.objects.get(title="中华人民共和国食品安全法")
    listing = client.get(reverse("catalogue:regulations"), {"level": "law"}).content.decode()
    assert law.title in listing and "食品经营许可管理办法" not in listing
    page = client.get(reverse("catalogue:regulation", args=[law.pk])).content.decode()
    assert "第三十五条" in page and "食品经营许可" in page
    assert (
        client.get(reverse("catalogue:regulations"), {"q": "' OR 1=1", "level": "<x>"}).status_code
        == 200
    )
    assert client.get("/regulations/99999999/").status_code == 404


def test_search_pages_are_cached_for_visitors_until_the_catalogue_changes(
    client, item, make_item, city_scjg
):
    url = reverse("catalogue:search")
    first = client.get(url, {"q": "食品"})
    assert "X-Page-Cache" not in first
    second = client.get(url, {"q": "食品"})
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    make_item(city_scjg, "食品生产许可")
    fresh = client.get(url, {"q": "食品"})
    assert "X-Page-Cache" not in fresh
    assert "食品</mark>生产许可" in fresh.content.decode()


def test_visitors_with_a_session_never_get_a_cached_page(client, login_as, item):
    url = reverse("catalogue:search")
    client.get(url, {"q": "食品"})
    staff = login_as("scjg_clerk")
    response = staff.get(url, {"q": "食品"})
    assert "X-Page-Cache" not in response
