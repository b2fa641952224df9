"""English pages read as English: field labels of filings in English, ": " after
English words, and the Chinese names on them marked as Chinese for screen readers."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from hall.catalogue.constants import FilingStatus
from hall.catalogue.services import item_update

pytestmark = pytest.mark.django_db

FULL_WIDTH_COLON_AFTER_ENGLISH = re.compile(r"[A-Za-z)]：")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def no_colon_after_english(page: str):
    found = FULL_WIDTH_COLON_AFTER_ENGLISH.search(page)
    assert found is None, page[max(found.start() - 80, 0) : found.end() + 20]


@pytest.fixture
def filing(online_item, user_named):
    online_item.conditions = "材料齐全即可"
    online_item.contact_phone = "0570-3000000"
    return item_update(actor=user_named("scjg_admin"), item=online_item)


def test_the_filing_page_shows_the_field_labels_in_english(login_as, filing):
    assert filing.status == FilingStatus.PENDING
    client = english(login_as("city_admin"))
    page = client.get(reverse("catalogue:filing", args=[filing.pk])).content.decode()
    assert "0570-3000000" in page
    assert "受理条件" not in page and "咨询电话" not in page
    assert "Acceptance conditions" in page and "Enquiry hotline" in page
    no_colon_after_english(page)
    no_colon_after_english(client.get(reverse("catalogue:filings")).content.decode())


def test_old_filings_with_labels_stored_in_chinese_stay_readable(login_as, filing):
    filing.diff = [
        {"label": "受理条件", "old": "甲", "new": "乙"},  # no field key: shown as stored
        {"field": "materials.required", "label": "申报材料“申请书”·是否必需", "old": 1, "new": 0},
    ]
    filing.save()
    client = english(login_as("city_admin"))
    page = client.get(reverse("catalogue:filing", args=[filing.pk])).content.decode()
    assert "受理条件" in page
    assert "申请书" in page


def test_the_guide_page_in_english(client, online_item):
    page = english(client).get(reverse("catalogue:item", args=[online_item.code])).content.decode()
    no_colon_after_english(page)
    assert f'<span lang="zh-CN">{online_item.name}</span>' in page
    assert re.search(r'<h1[^>]*>\s*<span lang="zh-CN">' + re.escape(online_item.name), page)


def test_the_case_page_in_english(login_as, make_case):
    case = make_case("accepted")
    client = english(login_as("scjg_clerk"))
    page = client.get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    no_colon_after_english(page)
    assert f'<span lang="zh-CN">{case.item.name}</span>' in page


def test_the_status_page_in_english(client, make_case, settings):
    settings.LOOKUP_LIMIT_PER_CLIENT = (50, 86400)
    case = make_case("accepted")
    response = client.post(
        reverse("cases:track"), {"number": case.query_number, "phone": case.phone}
    )
    page = english(client).get(response["Location"]).content.decode()
    no_colon_after_english(page)
    assert f'<span lang="zh-CN">{case.item.name}</span>' in page


def test_the_print_version_of_a_guide_has_a_print_button(client, online_item):
    page = client.get(reverse("catalogue:item_print", args=[online_item.code])).content.decode()
    assert re.search(r'<button type="button" class="button[^"]*" data-print>', page)
    assert re.search(r"<script src=\"[^\"]*hall/print\.[^\"]*js\" defer>", page)
    assert re.search(r'class="[^"]*no-print[^"]*"[^>]*>[^<]*<button[^>]*data-print', page) or (
        re.search(r'<button[^>]*class="[^"]*no-print[^"]*"[^>]*data-print', page)
    )


def test_chinese_pages_keep_the_full_width_colon_and_need_no_marks(client, online_item):
    page = client.get(reverse("catalogue:item", args=[online_item.code])).content.decode()
    assert "事项</strong>：" in page
    assert f"<h1>{online_item.name}</h1>" in page


def test_a_changed_material_is_named_in_english_with_its_name_kept(login_as, online_item):
    from hall.catalogue.services import snapshot_diff

    material = online_item.materials.get(name="经营场所平面图")
    before = {"fields": {}, "themes": [], "faqs": [], "special": [], "bases": []}
    after = dict(before)
    before["materials"] = [{"name": material.name, "required": False}]
    after["materials"] = [{"name": material.name, "required": True}]
    row = snapshot_diff(before, after)[0]
    assert row["field"] == "materials.required" and row["material"] == material.name
    filing = online_item.filings.create(
        center=online_item.center,
        department=online_item.department,
        action="update",
        object_type="item",
        object_id=online_item.pk,
        object_repr=online_item.name,
        diff=[row],
    )
    client = english(login_as("city_admin"))
    page = client.get(reverse("catalogue:filing", args=[filing.pk])).content.decode()
    assert "Material “经营场所平面图” · " in page
    assert "申报材料" not in page
