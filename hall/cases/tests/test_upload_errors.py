"""A refused upload is reported on the field of its material, on every page
that takes files (apply, resubmit, walk-in) and in the API; a refusal of the
whole application goes on the form."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import PDF_BYTES
from hall.cases.constants import CaseStatus
from hall.cases.forms import ResubmitForm

pytestmark = pytest.mark.django_db
DISGUISED = b"MZ\x90\x00" + b"\x00" * 200  # a program named .pdf
REFUSED = "内容不是允许的格式"


def applicant(**changes):
    return {
        "applicant_kind": "person",
        "applicant_name": "张三",
        "id_number": "11010519491231002X",
        "phone": "13857012345",
        **changes,
    }


def test_a_refusal_of_the_whole_application_goes_on_the_form(make_case):
    case = make_case(status=CaseStatus.CORRECTION_REQUESTED)
    material = case.item.materials.get(name="食品经营许可申请书")
    form = ResubmitForm({"remarks": "补交"}, case=case)
    assert form.is_valid()
    form.add_upload_errors({material.pk: ["文件有误"], 0: ["合计过大"]})
    assert form.errors[f"m_{material.pk}"] == ["文件有误"]
    assert form.non_field_errors() == ["合计过大"]


def test_the_apply_page_shows_a_refused_file_on_its_material(client, online_item):
    material = online_item.materials.get(name="食品经营许可申请书")
    response = client.post(
        reverse("cases:apply", args=[online_item.code]),
        {
            **applicant(),
            "submission_token": str(uuid.uuid4()),
            "f_shop_name": "张三小吃",
            "f_area": "35",
            "f_category": "餐饮服务",
            f"m_{material.pk}": [SimpleUploadedFile("申请书.pdf", DISGUISED)],
        },
    )
    errors = response.context["form"].errors
    assert list(errors) == [f"m_{material.pk}"] and REFUSED in errors[f"m_{material.pk}"][0]


def test_the_resubmit_page_shows_a_refused_file_on_its_material(make_case):
    case = make_case(status=CaseStatus.CORRECTION_REQUESTED)
    applicant_browser = Client()
    applicant_browser.post(
        reverse("cases:track"), {"number": case.query_number, "phone": case.phone}
    )
    material = case.item.materials.get(name="食品经营许可申请书")
    response = applicant_browser.post(
        reverse("cases:resubmit", args=[case.query_number]),
        {"remarks": "补交", f"m_{material.pk}": [SimpleUploadedFile("a.pdf", DISGUISED)]},
    )
    errors = response.context["resubmit_form"].errors
    assert list(errors) == [f"m_{material.pk}"] and REFUSED in errors[f"m_{material.pk}"][0]


def test_the_walk_in_page_shows_a_refused_scan_on_its_material(login_as, online_item):
    material = online_item.materials.get(name="食品经营许可申请书")
    data = {**applicant(), "decision": "accept"}
    for m in online_item.materials.all():
        data[f"got_{m.pk}"] = "on"
    data[f"scan_{material.pk}"] = [SimpleUploadedFile("扫描.pdf", DISGUISED)]
    response = login_as("scjg_clerk").post(reverse("cases:walk_in", args=[online_item.code]), data)
    errors = response.context["form"].errors
    assert list(errors) == [f"scan_{material.pk}"] and REFUSED in errors[f"scan_{material.pk}"][0]


def test_the_api_names_the_material_of_a_refused_file(client, online_item):
    material = online_item.materials.get(name="食品经营许可申请书")
    response = client.post(
        "/api/v1/applications",
        {
            **applicant(),
            "item_code": online_item.code,
            "f_shop_name": "张三小吃",
            "f_area": "35",
            "f_category": "餐饮服务",
            f"m_{material.pk}": SimpleUploadedFile("申请书.pdf", DISGUISED),
            "m_0": SimpleUploadedFile("x.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 422
    # m_0 is not a material of the item: refused with the rest, before any file is read
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["m_0"]
    response = client.post(
        "/api/v1/applications",
        {
            **applicant(),
            "item_code": online_item.code,
            "f_shop_name": "张三小吃",
            "f_area": "35",
            "f_category": "餐饮服务",
            f"m_{material.pk}": SimpleUploadedFile("申请书.pdf", DISGUISED),
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "上传的文件有误，请按提示修改后重新提交。"
    assert [e["field"] for e in body["errors"]] == [f"m_{material.pk}"]
    assert REFUSED in body["errors"][0]["message"]
