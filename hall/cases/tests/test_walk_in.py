"""Every case at a window is entered in the workbench (R-4.2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PDF_BYTES
from hall.cases.models import Case
from hall.org.models import Department

pytestmark = pytest.mark.django_db


def walk_in_data(item, **changes):
    data = {
        "applicant_kind": "person",
        "applicant_name": "李四",
        "id_number": "11010519491231002X",
        "phone": "13900001111",
        "decision": "accept",
        "reason": "",
    }
    for m in item.materials.all():
        data[f"got_{m.pk}"] = "on"
        if m.original_or_copy == "original":
            data[f"orig_{m.pk}"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_clerk_records_an_accepted_walk_in_with_a_scan_and_prints_the_notice(login_as, online_item):
    clerk = login_as("scjg_clerk")
    assert online_item.name in clerk.get(reverse("cases:walk_in_start")).content.decode()
    material = online_item.materials.get(name="食品经营许可申请书")
    data = walk_in_data(
        online_item, **{f"scan_{material.pk}": [SimpleUploadedFile("扫描.pdf", PDF_BYTES)]}
    )
    response = clerk.post(reverse("cases:walk_in", args=[online_item.code]), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.status) == ("walk_in", "accepted")
    assert case.promised_due is not None and case.statutory_due is not None
    assert case.files.count() == 1
    assert "食品经营许可申请书" in case.form_data["received_materials"]
    assert list(case.history.values_list("from_status", "to_status")) == [("", "accepted")]
    notice = clerk.get(response["Location"]).content.decode()
    assert "受理通知书" in notice and case.display_number in notice and "<svg" in notice
    assert "/track/?number=" in notice


def test_missing_required_materials_cannot_be_accepted(login_as, online_item):
    material = online_item.materials.get(name="食品经营许可申请书")
    response = login_as("scjg_clerk").post(
        reverse("cases:walk_in", args=[online_item.code]),
        walk_in_data(online_item, **{f"got_{material.pk}": None}),
    )
    assert response.status_code == 200
    assert "必要材料未收齐" in response.content.decode()
    assert Case.objects.count() == 0


def test_not_accepted_needs_a_reason_and_gives_a_decision(login_as, online_item):
    clerk = login_as("scjg_clerk")
    url = reverse("cases:walk_in", args=[online_item.code])
    response = clerk.post(url, walk_in_data(online_item, decision="refuse", reason=""))
    assert "不予受理须写明理由" in response.content.decode()
    assert Case.objects.count() == 0
    response = clerk.post(
        url, walk_in_data(online_item, decision="refuse", reason="不属于本机关职权范围")
    )
    case = Case.objects.get()
    assert case.status == "not_accepted" and case.promised_due is None
    notice = clerk.get(response["Location"]).content.decode()
    assert "不予受理决定书" in notice and "不属于本机关职权范围" in notice


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": "110105194912310021"}, "有效的 18 位居民身份证号码"),
        ({"phone": "' OR 1=1"}, "有效的 11 位中国大陆手机号码"),
        ({"decision": "<script>"}, "选择一个有效的选项"),
    ],
)
def test_bad_walk_in_input_saves_nothing(login_as, online_item, changes, message):
    response = login_as("scjg_clerk").post(
        reverse("cases:walk_in", args=[online_item.code]), walk_in_data(online_item, **changes)
    )
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_unknown_or_other_departments_items_are_404(login_as, online_item, make_item, city_scjg):
    zrzy = Department.objects.get(center=city_scjg.center, code="ZRZY")
    other = make_item(zrzy, "建设用地规划许可")
    clerk = login_as("scjg_clerk")
    assert clerk.get(reverse("cases:walk_in", args=["330800-XXXX-XK-0001"])).status_code == 404
    assert (
        clerk.post(reverse("cases:walk_in", args=[other.code]), walk_in_data(other)).status_code
        == 404
    )
    assert Case.objects.count() == 0
    assert login_as("city_supervisor").get(reverse("cases:walk_in_start")).status_code == 404


def test_track_page_takes_the_number_from_the_qr_link(client):
    page = client.get(reverse("cases:track"), {"number": "ABCD-EFGH-JKMN-PQ"}).content.decode()
    assert 'value="ABCD-EFGH-JKMN-PQ"' in page
