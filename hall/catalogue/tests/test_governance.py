"""Departments keep their own content: changes publish at once, are filed with
the center with a field-by-field diff, keep versions and can be restored."""

import pytest
from django.urls import reverse

from hall.catalogue.constants import FilingStatus
from hall.catalogue.models import Filing, ItemVersion, ServiceItem
from hall.catalogue.services import item_record_change
from hall.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def admin_form(item, **changes):
    """The POST of the item's change form in the back office, as a browser sends it."""
    data = {
        "department": item.department_id,
        "code": item.code,
        "name": item.name,
        "aliases": item.aliases,
        "item_type": item.item_type,
        "applicant_type": item.applicant_type,
        "online_depth": item.online_depth,
        "legal_basis_text": item.legal_basis_text,
        "conditions": item.conditions,
        "procedure": item.procedure,
        "statutory_days": item.statutory_days,
        "promised_days": item.promised_days,
        "is_free": "on" if item.is_free else "",
        "fee_standard": item.fee_standard,
        "fee_basis": item.fee_basis,
        "result_name": item.result_name,
        "onsite_visits": item.onsite_visits,
        "window": item.window_id or "",
        "place": item.place,
        "hours": item.hours,
        "contact_phone": item.contact_phone,
        "complaint_phone": item.complaint_phone,
        "is_published": "on" if item.is_published else "",
    }
    materials = list(item.materials.all())
    data.update(
        {
            "materials-TOTAL_FORMS": len(materials),
            "materials-INITIAL_FORMS": len(materials),
            "materials-MIN_NUM_FORMS": 0,
            "materials-MAX_NUM_FORMS": 1000,
        }
    )
    for i, m in enumerate(materials):
        data.update(
            {
                f"materials-{i}-id": m.pk,
                f"materials-{i}-item": item.pk,
                f"materials-{i}-name": m.name,
                f"materials-{i}-submission": m.submission,
                f"materials-{i}-required": "on" if m.required else "",
                f"materials-{i}-original_or_copy": m.original_or_copy,
                f"materials-{i}-copies": m.copies,
                f"materials-{i}-source": m.source,
                f"materials-{i}-notes": m.notes,
                f"materials-{i}-sort_order": m.sort_order,
            }
        )
    for prefix in ("form_fields", "bases", "special_procedures", "faqs"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def item(make_item, city_scjg, user_named):
    item = make_item(city_scjg, "食品经营许可")
    item_record_change(actor=user_named("city_admin"), item=item, before=None, action="create")
    return item


def test_department_change_publishes_files_and_versions(login_as, item, client):
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, admin_form(item, promised_days=3))
    assert response.status_code == 302, response.content.decode()[-3000:]
    item.refresh_from_db()
    assert item.promised_days == 3
    # published at once: the public page shows it
    client.logout()
    page = client.get(reverse("catalogue:item", args=[item.code])).content.decode()
    assert "3 个工作日" in page
    filing = Filing.objects.filter(item=item).first()
    assert filing.status == FilingStatus.PENDING
    assert filing.changed_by.username == "scjg_admin"
    assert filing.diff == [
        {"field": "promised_days", "label": "承诺时限（工作日）", "old": 5, "new": 3}
    ]
    assert filing.version.number == item.version == 2
    assert (
        AuditEntry.objects.filter(action="catalogue.item_update", object_id=str(item.pk)).count()
        == 1
    )


def test_saving_without_change_files_nothing(login_as, item):
    before = Filing.objects.count()
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    # browsers send text areas with CRLF line ends: that is no change
    crlf = admin_form(item, conditions=item.conditions.replace("\n", "\r\n"))
    assert login_as("scjg_admin").post(url, crlf).status_code == 302
    assert Filing.objects.count() == before


def test_center_sees_the_diff_and_reviews_or_returns(login_as, item):
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    login_as("scjg_admin").post(url, admin_form(item, name="食品经营许可（新办）"))
    filing = Filing.objects.filter(item=item, status=FilingStatus.PENDING).get()
    client = login_as("city_admin")
    queue = client.get(reverse("catalogue:filings")).content.decode()
    assert "食品经营许可（新办）" in queue
    detail = client.get(reverse("catalogue:filing", args=[filing.pk])).content.decode()
    assert "食品经营许可" in detail and "食品经营许可（新办）" in detail and "事项名称" in detail
    # returning needs a comment
    response = client.post(
        reverse("catalogue:filing_review", args=[filing.pk]), {"decision": "return", "comment": ""}
    )
    assert "退回修改时请写明意见" in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.PENDING
    client.post(
        reverse("catalogue:filing_review", args=[filing.pk]),
        {"decision": "return", "comment": "名称请与权力清单一致"},
    )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED
    assert filing.review_comment == "名称请与权力清单一致"
    # a second decision is refused
    response = client.post(
        reverse("catalogue:filing_review", args=[filing.pk]), {"decision": "review"}
    )
    assert response.status_code == 404
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED


def test_department_cannot_review_its_own_filings(login_as, item):
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    login_as("scjg_admin").post(url, admin_form(item, promised_days=4))
    filing = Filing.objects.filter(item=item, status=FilingStatus.PENDING).get()
    client = login_as("scjg_admin")
    assert client.get(reverse("catalogue:filing", args=[filing.pk])).status_code == 200
    assert (
        client.post(
            reverse("catalogue:filing_review", args=[filing.pk]), {"decision": "review"}
        ).status_code
        == 404
    )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.PENDING


def test_county_center_does_not_see_city_filings(login_as, item):
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    login_as("scjg_admin").post(url, admin_form(item, promised_days=4))
    filing = Filing.objects.filter(item=item, status=FilingStatus.PENDING).get()
    assert (
        login_as("kc_admin").get(reverse("catalogue:filing", args=[filing.pk])).status_code == 404
    )


def test_restore_an_earlier_version(login_as, item):
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    client = login_as("scjg_admin")
    client.post(url, admin_form(item, promised_days=2, name="食品经营许可（改）"))
    item.refresh_from_db()
    assert (item.version, item.promised_days) == (2, 2)
    page = client.get(reverse("catalogue:version", args=[item.code, 1])).content.decode()
    assert "食品经营许可（改）" in page
    response = client.post(reverse("catalogue:version", args=[item.code, 1]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.promised_days, item.version) == ("食品经营许可", 5, 3)
    assert list(item.materials.values_list("name", flat=True)) == ["申请书", "营业场所证明"]
    restore = Filing.objects.filter(item=item, action="restore").get()
    assert {row["field"] for row in restore.diff} == {"name", "promised_days"}
    assert ItemVersion.objects.filter(item=item).count() == 3


def test_department_cannot_touch_another_departments_item(login_as, make_item, city_scjg):
    from hall.org.models import Department

    zrzy = Department.objects.get(center=city_scjg.center, code="ZRZY")
    other = make_item(zrzy, "建设用地规划许可证核发")
    client = login_as("scjg_admin")
    url = reverse("admin:catalogue_serviceitem_change", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, admin_form(other, promised_days=1)).status_code == 404
    assert (
        client.post(
            reverse("admin:catalogue_serviceitem_delete", args=[other.pk]), {"post": "yes"}
        ).status_code
        == 404
    )
    assert client.get(reverse("catalogue:versions", args=[other.code])).status_code == 404
    assert client.post(reverse("catalogue:version", args=[other.code, 1])).status_code == 404
    other.refresh_from_db()
    assert other.promised_days == 5


def test_department_cannot_move_its_item_to_another_department(login_as, item, city_scjg):
    from hall.org.models import Department

    zrzy = Department.objects.get(center=city_scjg.center, code="ZRZY")
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, admin_form(item, department=zrzy.pk))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    item.refresh_from_db()
    assert item.department == city_scjg


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"promised_days": 30, "statutory_days": 20}, "承诺时限不能超过法定时限"),
        ({"is_free": "", "fee_standard": "", "fee_basis": ""}, "收费事项须填写收费标准和收费依据"),
        ({"name": ""}, "这个字段是必填项"),
        ({"name": "长" * 300}, "不超过 100 字符"),
        ({"statutory_days": "abc"}, "输入整数"),
        ({"contact_phone": "<script>alert(1)</script>"}, "请输入有效的电话号码"),
        ({"code": "../../etc/passwd"}, "事项编码格式应为"),
    ],
    ids=[
        "promised>statutory",
        "fee",
        "empty-name",
        "long-name",
        "bad-days",
        "script-phone",
        "bad-code",
    ],
)
def test_bad_item_input_is_refused_and_nothing_changes(login_as, item, changes, message):
    before = (ServiceItem.objects.get(pk=item.pk).__dict__.copy(), Filing.objects.count())
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, admin_form(item, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    after = ServiceItem.objects.get(pk=item.pk).__dict__.copy()
    for d in (before[0], after):
        d.pop("_state")
    assert after == before[0]
    assert Filing.objects.count() == before[1]


def test_template_upload_is_checked_by_content(login_as, item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = admin_form(item)
    data["materials-0-template"] = SimpleUploadedFile("申请表.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, data)
    assert response.status_code == 200
    assert "内容不是允许的格式" in response.content.decode()
    assert not item.materials.get(name="申请书").template

    from conftest import PDF_BYTES as pdf

    data["materials-0-template"] = SimpleUploadedFile("../../申请表.exe", pdf)
    response = login_as("scjg_admin").post(url, data)
    assert response.status_code == 302
    material = item.materials.get(name="申请书")
    assert material.template.name.endswith(".pdf")
    assert "/" not in material.template_name and material.template_name.endswith(".pdf")
    download = login_as("scjg_admin").get(
        reverse("catalogue:material_file", args=[item.code, material.pk, "template"])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf


def test_oversize_template_is_refused(login_as, item, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hall.catalogue import forms

    data = admin_form(item)
    data["materials-0-template"] = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (forms.TEMPLATE_MAX_BYTES + 10)
    )
    response = login_as("scjg_admin").post(
        reverse("admin:catalogue_serviceitem_change", args=[item.pk]), data
    )
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()


def test_completeness_shows_gaps_to_department_and_table_to_center(login_as, make_item, city_scjg):
    make_item(city_scjg, "残缺事项", conditions="", complaint_phone="")
    dept = login_as("scjg_admin").get(reverse("catalogue:completeness"))
    rows = {i.name: c for i, c in dept.context["rows"]}
    assert "缺少受理条件" in rows["残缺事项"].gaps
    assert "缺少投诉电话" in rows["残缺事项"].gaps
    assert rows["残缺事项"].score < 100
    center = login_as("city_admin").get(reverse("catalogue:completeness"))
    assert any(r["department"] == city_scjg for r in center.context["by_department"])
