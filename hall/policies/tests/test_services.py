"""Who may change which document, and that each change is filed with the center
through the catalogue's Filing (one filing mechanism) and audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PDF_BYTES
from hall.catalogue.models import Filing
from hall.core.models import AuditEntry
from hall.policies import services
from hall.policies.models import PolicyAttachment, PolicyDocument

pytestmark = pytest.mark.django_db


def form_data(department, **extra):
    return {
        "department": department.pk,
        "title": "关于规范食品经营许可办理的通知",
        "doc_number": "衢市监发[2024]7号",
        "issuer": "衢州市市场监督管理局",
        "kind": "notice",
        "issued_on": "2024-03-01",
        "effective_on": "2024-03-01",
        "status": "in_force",
        "body": "第一条 为了规范办理，制定本通知。",
        **extra,
    }


def filings(document):
    return list(Filing.objects.filter(object_type="policydocument", object_id=document.pk))


def test_department_admin_creates_and_the_change_is_filed_for_review(
    login_as, city_scjg, make_item
):
    item = make_item(city_scjg, "食品经营许可")
    client = login_as("scjg_admin")
    response = client.post(
        reverse("policies:staff_create"), form_data(city_scjg, related_items=[item.pk])
    )
    document = PolicyDocument.objects.get()
    assert response.status_code == 302
    assert document.doc_number == "衢市监发〔2024〕7号"
    assert document.center == city_scjg.center and not document.is_published
    assert list(document.related_items.all()) == [item]
    (filing,) = filings(document)
    assert (filing.action, filing.status, filing.department) == ("create", "pending", city_scjg)
    assert {r["field"] for r in filing.diff} >= {"policy.title", "policy.doc_number"}
    assert AuditEntry.objects.filter(action="policies.policy_create").count() == 1
    # The filing page shows the document, linked.
    page = login_as("city_admin").get(reverse("catalogue:filing", args=[filing.pk]))
    html = page.content.decode()
    assert reverse("policies:staff_detail", args=[document.pk]) in html
    assert "衢市监发〔2024〕7号" in html and "文号" in html


def test_each_change_is_one_filing(login_as, user_named, city_scjg):
    admin = user_named("scjg_admin")
    client = login_as("scjg_admin")
    client.post(reverse("policies:staff_create"), form_data(city_scjg))
    document = PolicyDocument.objects.get()
    edit = reverse("policies:staff_edit", args=[document.pk])
    client.post(edit, form_data(city_scjg, title="关于规范食品经营许可办理的通知（修订）"))
    client.post(edit, form_data(city_scjg, title="关于规范食品经营许可办理的通知（修订）"))
    client.post(reverse("policies:staff_publish", args=[document.pk]))
    client.post(
        reverse("policies:staff_attachment_add", args=[document.pk]),
        {"file": SimpleUploadedFile("流程图.pdf", PDF_BYTES)},
    )
    attachment = PolicyAttachment.objects.get()
    assert attachment.name == "流程图.pdf" and attachment.kind == "pdf"
    client.post(reverse("policies:staff_attachment_delete", args=[document.pk, attachment.pk]))
    client.post(reverse("policies:staff_publish", args=[document.pk]), {"publish": "0"})
    fields = [[r["field"] for r in f.diff] for f in reversed(filings(document))]
    # create, the title (the unchanged second save files nothing), publish, +file, -file, withdraw
    assert fields[1:] == [
        ["policy.title"],
        ["policy.is_published"],
        ["policy.attachments"],
        ["policy.attachments"],
        ["policy.is_published"],
    ]
    codes = list(
        AuditEntry.objects.filter(action__startswith="policies.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes == [
        "policies.policy_create",
        "policies.policy_update",
        "policies.policy_publish",
        "policies.attachment_add",
        "policies.attachment_delete",
        "policies.policy_unpublish",
    ]
    services.policy_delete(actor=admin, document=document)
    assert not PolicyDocument.objects.exists()
    assert filings(document)[0].action == "delete"


def test_center_changes_are_filed_as_reviewed(user_named, city_scjg):
    document = PolicyDocument(
        department=city_scjg,
        title="中心发布",
        issuer="衢州市行政服务中心",
        kind="notice",
        issued_on="2024-01-01",
        effective_on="2024-01-01",
        body="正文",
    )
    services.policy_create(actor=user_named("city_admin"), document=document)
    (filing,) = filings(document)
    assert filing.status == "reviewed"


def test_another_departments_document_is_404_and_refused(
    login_as, user_named, make_policy, kc_scjg, city_scjg
):
    county = make_policy(kc_scjg, "柯城区的文件", published=False)
    client = login_as("scjg_admin")
    for name in ("staff_detail", "staff_edit"):
        assert client.get(reverse(f"policies:{name}", args=[county.pk])).status_code == 404
    for name in ("staff_publish", "staff_delete", "staff_attachment_add"):
        assert client.post(reverse(f"policies:{name}", args=[county.pk])).status_code == 404
    with pytest.raises(services.PolicyForbidden):
        services.policy_publish(actor=user_named("scjg_admin"), document=county)
    # Nor may a department file a new document under another department.
    response = client.post(reverse("policies:staff_create"), form_data(kc_scjg))
    assert response.status_code == 200 and "department" in response.context["form"].errors
    county.refresh_from_db()
    assert not county.is_published and not Filing.objects.exists()
    # The county's center admin sees it; the city's too (it sees its counties).
    assert (
        login_as("kc_admin").get(reverse("policies:staff_detail", args=[county.pk])).status_code
        == 200
    )


def test_without_the_right_nothing_changes(login_as, user_named, make_policy, city_scjg):
    document = make_policy(city_scjg, "窗口人员看不到", published=False)
    client = login_as("scjg_clerk")
    assert client.get(reverse("policies:staff_list")).status_code == 404
    assert client.post(reverse("policies:staff_publish", args=[document.pk])).status_code == 404
    with pytest.raises(services.PolicyForbidden) as exc:
        services.policy_publish(actor=user_named("scjg_clerk"), document=document)
    assert "没有维护政策文件的权限" in str(exc.value)
    with pytest.raises(services.PolicyForbidden):
        services.policy_publish(actor=None, document=document)
    document.refresh_from_db()
    assert not document.is_published and not Filing.objects.exists()


def test_a_referenced_document_cannot_be_deleted(login_as, make_policy, city_scjg):
    new = make_policy(city_scjg, "新办法")
    make_policy(city_scjg, "旧办法", status="repealed", replaced_by=new)
    response = login_as("scjg_admin").post(
        reverse("policies:staff_delete", args=[new.pk]), follow=True
    )
    assert "其他文件引用了该文件" in response.content.decode()
    assert PolicyDocument.objects.filter(pk=new.pk).exists() and not Filing.objects.exists()
