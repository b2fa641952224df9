"""The audit log: append-only, one entry per action, scoped, filterable."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from hall.core.constants import AuditAction
from hall.core.models import AuditEntry
from hall.core.services import log_action
from hall.org.models import Center, Department, Window

pytestmark = pytest.mark.django_db
AUDIT = reverse("core:audit_log")


def test_entries_cannot_be_changed_or_deleted(user_named, city_scjg):
    entry = log_action(user_named("city_admin"), "test.action", city_scjg, {"k": "v"})
    entry.action = "forged"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_entry_takes_the_center_of_its_object(user_named, kc_scjg):
    entry = log_action(user_named("city_admin"), "test.action", kc_scjg)
    assert entry.center_id == kc_scjg.center_id
    assert entry.object_repr == kc_scjg.name
    assert entry.content_type == ContentType.objects.get_for_model(Department)


def test_admin_add_change_delete_each_write_one_entry(login_as, kc_scjg):
    client = login_as("kc_admin")
    add_url = reverse("admin:org_window_add")
    before = AuditEntry.objects.count()
    response = client.post(
        add_url,
        {
            "department": kc_scjg.pk,
            "number": "901",
            "name": "测试窗口",
            "location": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    window = Window.objects.get(department=kc_scjg, number="901")
    assert AuditEntry.objects.count() == before + 1
    added = AuditEntry.objects.first()
    assert (added.action, added.actor_name, added.object_id) == (
        AuditAction.ADMIN_ADD,
        "kc_admin",
        str(window.pk),
    )
    assert added.center_id == kc_scjg.center_id

    change_url = reverse("admin:org_window_change", args=[window.pk])
    response = client.post(
        change_url,
        {
            "department": kc_scjg.pk,
            "number": "901",
            "name": "改名窗口",
            "location": "二楼",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 2
    assert AuditEntry.objects.first().action == AuditAction.ADMIN_CHANGE

    response = client.post(reverse("admin:org_window_delete", args=[window.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 3
    deleted = AuditEntry.objects.first()
    assert deleted.action == AuditAction.ADMIN_DELETE
    assert deleted.object_repr.startswith("901号窗口")


def test_audit_page_filters_and_paginates(login_as, user_named, city_scjg):
    admin = user_named("city_admin")
    for i in range(60):
        log_action(admin, "test.bulk", city_scjg, {"i": i})
    client = login_as("city_admin")
    page1 = client.get(AUDIT, {"action": "", "actor": "city_admin"})
    assert page1.status_code == 200
    assert page1.context["page"].paginator.count >= 60
    assert len(page1.context["page"].object_list) == 50
    page2 = client.get(AUDIT, {"actor": "city_admin", "page": 2})
    assert page2.status_code == 200
    assert page2.context["page"].number == 2
    ct = ContentType.objects.get_for_model(Department)
    typed = client.get(AUDIT, {"content_type": ct.pk, "actor": "city_admin"})
    assert all(e.content_type_id == ct.pk for e in typed.context["page"].object_list)
    login = client.get(AUDIT, {"action": AuditAction.LOGIN})
    assert all(e.action == AuditAction.LOGIN for e in login.context["page"].object_list)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "日期"),
        ({"date_from": "2026-11-20", "date_to": "2026-11-01"}, "起始日期不能晚于截止日期"),
        ({"action": "<script>alert(1)</script>"}, "选择一个有效的选项"),
        ({"content_type": "../../etc/passwd"}, "选择一个有效的选项"),
        ({"actor": "x" * 10_000}, "150"),
    ],
    ids=["bad-date", "reversed", "script", "traversal", "oversize"],
)
def test_audit_filters_reject_bad_input_in_chinese(login_as, params, message):
    response = login_as("city_admin").get(AUDIT, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert response.context["page"].paginator.count == 0


def test_county_reader_sees_only_their_center(login_as, user_named, city_scjg, kc_scjg, qj_scjg):
    admin = user_named("city_admin")
    city = log_action(admin, "test.scope", city_scjg)
    own = log_action(admin, "test.scope", kc_scjg)
    other = log_action(admin, "test.scope", qj_scjg)
    nowhere = log_action(None, "test.scope", None, actor_name="unknown")
    seen = set(
        login_as("kc_supervisor")
        .get(AUDIT, {"actor": ""})
        .context["page"]
        .paginator.object_list.filter(action="test.scope")
        .values_list("pk", flat=True)
    )
    assert seen == {own.pk}
    city_seen = set(
        login_as("city_supervisor")
        .get(AUDIT)
        .context["page"]
        .paginator.object_list.filter(action="test.scope")
        .values_list("pk", flat=True)
    )
    assert city_seen == {city.pk, own.pk, other.pk, nowhere.pk}


def test_center_entries_carry_their_own_id(user_named):
    center = Center.objects.get(region_code="330802")
    assert log_action(user_named("kc_admin"), "test.center", center).center_id == center.pk
