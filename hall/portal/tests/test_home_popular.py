"""热门事项 on the home page: one entry per item name, for the visitor's center."""

import pytest
from django.urls import reverse

from hall.catalogue.models import ServiceItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth_certificates(make_item, city_scjg, kc_scjg, qj_scjg):
    items = [
        make_item(department, "出生医学证明补发换发", applicant_type="person")
        for department in (city_scjg, kc_scjg, qj_scjg)
    ]
    ServiceItem.objects.filter(pk__in=[i.pk for i in items]).update(application_count=9999)
    return items


def popular_section(page: str) -> str:
    start = page.index('id="popular-title"')
    return page[start : page.index("</ol>", start)]


def test_an_item_every_county_publishes_is_listed_once(client, birth_certificates):
    page = client.get(reverse("portal:home")).content.decode()
    section = popular_section(page)
    assert section.count("出生医学证明补发换发") == 1
    city_item = birth_certificates[0]
    assert reverse("catalogue:item", args=[city_item.code]) in section


def test_the_center_chooser_shows_the_chosen_centers_items(client, birth_certificates):
    county_item = birth_certificates[1]
    page = client.get(reverse("portal:home"), {"center": county_item.center_id}).content.decode()
    assert 'name="center"' in page  # the chooser for the other centers
    section = popular_section(page)
    assert section.count("出生医学证明补发换发") == 1
    assert reverse("catalogue:item", args=[county_item.code]) in section
    assert reverse("catalogue:item", args=[birth_certificates[0].code]) not in section


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "9223372036854775808", "1" * 30, "<script>", "1' OR '1'='1", "\x00"]
)
def test_hostile_center_values_fall_back_to_the_city(client, birth_certificates, value):
    response = client.get(reverse("portal:home"), {"center": value})
    assert response.status_code == 200
    section = popular_section(response.content.decode())
    assert reverse("catalogue:item", args=[birth_certificates[0].code]) in section
