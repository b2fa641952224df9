"""Applying online: the form, uploads checked by content, one case per submit,
the query number and the receipt; bad input refused in Chinese, nothing saved."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PDF_BYTES, PNG_BYTES
from hall.cases import querynumbers
from hall.cases.models import Case, CaseFile
from hall.catalogue.models import ServiceItem

pytestmark = pytest.mark.django_db


def form_data(item, **changes):
    form = item.materials.get(name="食品经营许可申请书")
    plan = item.materials.get(name="经营场所平面图")
    data = {
        "submission_token": str(uuid.uuid4()),
        "applicant_kind": "person",
        "applicant_name": "张三",
        "id_number": "11010519491231002x",
        "phone": "13857012345",
        "address": "衢州市柯城区示范路 1 号",
        "sms_opt_in": "on",
        "f_shop_name": "张三小吃",
        "f_area": "35.5",
        "f_category": "餐饮服务",
        f"m_{form.pk}": [SimpleUploadedFile("申请书.pdf", PDF_BYTES)],
        f"m_{plan.pk}": [
            SimpleUploadedFile("平面图.png", PNG_BYTES),
            SimpleUploadedFile("平面图2.png", PNG_BYTES),
        ],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def apply_url(item):
    return reverse("cases:apply", args=[item.code])


def snapshot():
    return Case.objects.count(), CaseFile.objects.count()


def test_apply_makes_a_case_with_files_and_shows_the_query_number(client, online_item):
    page = client.get(apply_url(online_item)).content.decode()
    assert "店铺名称" in page and "食品经营许可申请书" in page and "法定代表人身份证" in page
    response = client.post(apply_url(online_item), form_data(online_item))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:receipt", args=[case.query_number])
    assert querynumbers.is_valid(case.query_number)
    assert case.id_number == "11010519491231002X"
    assert case.form_data == {"shop_name": "张三小吃", "area": "35.5", "category": "餐饮服务"}
    assert case.files.count() == 3
    assert set(case.files.values_list("kind", flat=True)) == {"pdf", "png"}
    assert case.history.get().to_status == "submitted"
    receipt = client.get(response["Location"]).content.decode()
    assert case.display_number in receipt and "法定代表人身份证" in receipt
    assert (
        ServiceItem.objects.get(pk=online_item.pk).application_count
        == online_item.application_count + 1
    )


def test_stored_files_are_named_by_us_outside_the_web_root(client, online_item, settings):
    data = form_data(online_item)
    material = online_item.materials.get(name="食品经营许可申请书")
    data[f"m_{material.pk}"] = [SimpleUploadedFile("../../" + "长" * 300 + "\x00.pdf", PDF_BYTES)]
    assert client.post(apply_url(online_item), data).status_code == 302
    stored = CaseFile.objects.get(material=material)
    assert stored.file.name.startswith("cases/") and "长" not in stored.file.name
    assert stored.file.path.startswith(str(settings.MEDIA_ROOT))
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert "/" not in stored.original_name and "\x00" not in stored.original_name
    assert len(stored.original_name) <= 120 and stored.original_name.endswith(".pdf")


def test_pressing_submit_twice_makes_one_case(client, online_item):
    data = form_data(online_item)
    first = client.post(apply_url(online_item), data)
    data = form_data(online_item, submission_token=data["submission_token"])
    second = client.post(apply_url(online_item), data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_receipt_and_status_need_the_browser_that_applied_or_the_phone(client, online_item):
    response = client.post(apply_url(online_item), form_data(online_item))
    case = Case.objects.get()
    from django.test import Client

    stranger = Client()
    assert stranger.get(response["Location"]).status_code == 404
    assert stranger.get(reverse("cases:status", args=[case.query_number])).status_code == 404
    file = case.files.first()
    assert (
        stranger.get(reverse("cases:applicant_file", args=[case.query_number, file.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("cases:applicant_file", args=[case.query_number, file.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"applicant_name": ""}, "这个字段是必填项"),
        ({"id_number": "110105194912310021"}, "有效的 18 位居民身份证号码"),
        (
            {"applicant_kind": "company", "id_number": "91350100M000100Y44"},
            "有效的 18 位统一社会信用代码",
        ),
        ({"phone": "12345"}, "有效的 11 位中国大陆手机号码"),
        ({"phone": "<script>alert(1)</script>"}, "有效的 11 位中国大陆手机号码"),
        ({"f_shop_name": ""}, "这个字段是必填项"),
        ({"f_shop_name": "店" * 51}, "不超过 50"),
        ({"f_area": "-1"}, "大于或等于1"),
        ({"f_area": "' OR 1=1"}, "输入一个数字"),
        ({"f_category": "赌场"}, "选择一个有效的选项"),
        ({"applicant_kind": "robot"}, "选择一个有效的选项"),
    ],
    ids=[
        "no-name",
        "bad-id",
        "bad-uscc",
        "short-phone",
        "script-phone",
        "no-field",
        "long-field",
        "negative",
        "sql-number",
        "bad-choice",
        "bad-kind",
    ],
)
def test_bad_form_input_is_refused_in_chinese_and_saves_nothing(
    client, online_item, changes, message
):
    before = snapshot()
    response = client.post(apply_url(online_item), form_data(online_item, **changes))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert snapshot() == before


def test_a_required_material_must_be_uploaded(client, online_item):
    material = online_item.materials.get(name="食品经营许可申请书")
    before = snapshot()
    response = client.post(
        apply_url(online_item), form_data(online_item, **{f"m_{material.pk}": None})
    )
    assert "请上传此项必要材料" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("申请书.pdf", b"MZ\x90\x00" + b"\x00" * 200, "内容不是允许的格式"),
        ("申请书.pdf", PDF_BYTES.replace(b"<<>>", b"<</JS(app.alert(1))>>", 1), "含有脚本"),
        ("申请书.pdf", b"", "空文件"),
    ],
    ids=["exe-as-pdf", "polyglot-pdf", "empty"],
)
def test_bad_files_are_refused_and_nothing_is_saved(client, online_item, name, data, message):
    material = online_item.materials.get(name="食品经营许可申请书")
    before = snapshot()
    response = client.post(
        apply_url(online_item),
        form_data(online_item, **{f"m_{material.pk}": [SimpleUploadedFile(name, data)]}),
    )
    assert message in response.content.decode()
    assert snapshot() == before


def test_too_many_files_for_a_material_are_refused(client, online_item):
    plan = online_item.materials.get(name="经营场所平面图")
    files = [SimpleUploadedFile(f"p{i}.png", PNG_BYTES) for i in range(11)]
    before = snapshot()
    response = client.post(
        apply_url(online_item), form_data(online_item, **{f"m_{plan.pk}": files})
    )
    assert "每项材料最多上传 10 个文件" in response.content.decode()
    assert snapshot() == before


def test_two_hundred_files_are_refused_before_any_is_stored(client, online_item):
    plan = online_item.materials.get(name="经营场所平面图")
    files = [SimpleUploadedFile(f"p{i}.png", PNG_BYTES) for i in range(200)]
    before = snapshot()
    response = client.post(
        apply_url(online_item), form_data(online_item, **{f"m_{plan.pk}": files})
    )
    assert response.status_code == 400
    assert "一件申请最多 40 个文件" in response.content.decode()
    assert snapshot() == before


def test_a_huge_upload_is_refused_before_it_is_read(client, online_item):
    before = snapshot()
    response = client.post(
        apply_url(online_item),
        data=b"x" * 1024,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(1024**3),
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert snapshot() == before


def test_items_below_depth_three_cannot_be_applied_for(client, online_item):
    ServiceItem.objects.filter(pk=online_item.pk).update(online_depth=2)
    page = client.get(apply_url(online_item))
    assert "暂不支持网上申报" in page.content.decode()
    before = snapshot()
    client.post(apply_url(online_item), form_data(online_item))
    assert snapshot() == before


def test_unknown_or_unpublished_items_are_404(client, online_item):
    assert client.get("/items/330800-SCJG-XK-9999/apply/").status_code == 404
    ServiceItem.objects.filter(pk=online_item.pk).update(is_published=False)
    assert client.get(apply_url(online_item)).status_code == 404
