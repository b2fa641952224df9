"""The back office shows and changes only what lies in the user's scope."""

import pytest
from django.urls import reverse

from hall.core.models import AuditEntry
from hall.org.models import Center, Department, Role, Staff, User, Window

pytestmark = pytest.mark.django_db


def test_county_admin_lists_only_their_centers_departments(login_as, kc_scjg):
    response = login_as("kc_admin").get(reverse("admin:org_department_changelist"))
    shown = {d.center.region_code for d in response.context["cl"].result_list}
    assert shown == {"330802"}
    assert (
        response.context["cl"].result_count
        == Department.objects.filter(center=kc_scjg.center).count()
    )


def test_city_admin_sees_city_and_counties(login_as):
    response = login_as("city_admin").get(reverse("admin:org_department_changelist"))
    assert response.context["cl"].result_count == Department.objects.count()


def test_department_admin_lists_only_their_department(login_as, city_scjg):
    response = login_as("scjg_admin").get(reverse("admin:org_department_changelist"))
    assert [d.pk for d in response.context["cl"].result_list] == [city_scjg.pk]
    users = login_as("scjg_admin").get(reverse("admin:org_user_changelist"))
    assert {u.username for u in users.context["cl"].result_list} == {"scjg_admin", "scjg_clerk"}


@pytest.mark.parametrize(
    "object_id",
    ["{other}", "..%2F..%2Fetc%2Fpasswd", "99999999", "1%00", "%3Cscript%3E"],
    ids=["other-center", "traversal", "missing", "nul", "script"],
)
def test_other_or_bogus_ids_in_admin_urls_answer_404_and_change_nothing(
    login_as, qj_scjg, object_id
):
    client = login_as("kc_admin")
    object_id = object_id.format(other=qj_scjg.pk)
    url = f"/admin/org/department/{object_id}/change/"
    before = (qj_scjg.name, AuditEntry.objects.count())
    assert client.get(url).status_code == 404
    response = client.post(url, {"center": qj_scjg.center_id, "name": "被篡改", "code": "HACK"})
    assert response.status_code == 404
    qj_scjg.refresh_from_db()
    assert (qj_scjg.name, AuditEntry.objects.count()) == before


def test_county_admin_cannot_move_a_department_to_another_center(login_as, kc_scjg, qj_scjg):
    client = login_as("kc_admin")
    url = reverse("admin:org_department_change", args=[kc_scjg.pk])
    response = client.post(
        url,
        {
            "center": qj_scjg.center_id,
            "name": kc_scjg.name,
            "code": kc_scjg.code,
            "sort_order": 1,
            "windows-TOTAL_FORMS": 0,
            "windows-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    kc_scjg.refresh_from_db()
    assert kc_scjg.center.region_code == "330802"


def _staff_form(user, department, window, roles, center):
    return {
        "username": user,
        "full_name": "新人",
        "password1": "Kx9#winter-harbour",
        "password2": "Kx9#winter-harbour",
        "staff-TOTAL_FORMS": 1,
        "staff-INITIAL_FORMS": 0,
        "staff-MIN_NUM_FORMS": 1,
        "staff-MAX_NUM_FORMS": 1,
        "staff-0-center": center,
        "staff-0-department": department,
        "staff-0-window": window or "",
        "staff-0-roles": roles,
        "staff-0-title": "",
        "staff-0-phone": "",
    }


def test_department_admin_adds_a_clerk_to_their_department(login_as, city_scjg):
    clerk_role = Role.objects.get(code="clerk")
    window = Window.objects.filter(department=city_scjg).first()
    response = login_as("scjg_admin").post(
        reverse("admin:org_user_add"),
        _staff_form("new_clerk", city_scjg.pk, window.pk, [clerk_role.pk], city_scjg.center_id),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    staff = Staff.objects.get(user__username="new_clerk")
    assert staff.department == city_scjg
    assert list(staff.roles.all()) == [clerk_role]


def test_department_admin_cannot_grant_a_center_role(login_as, city_scjg):
    admin_role = Role.objects.get(code="center_admin")
    response = login_as("scjg_admin").post(
        reverse("admin:org_user_add"),
        _staff_form("sneaky", city_scjg.pk, "", [admin_role.pk], city_scjg.center_id),
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="sneaky").exists()


def test_department_admin_cannot_place_staff_in_another_department(login_as, city_scjg):
    zrzy = Department.objects.get(center=city_scjg.center, code="ZRZY")
    clerk_role = Role.objects.get(code="clerk")
    response = login_as("scjg_admin").post(
        reverse("admin:org_user_add"),
        _staff_form("elsewhere", zrzy.pk, "", [clerk_role.pk], city_scjg.center_id),
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="elsewhere").exists()


def test_clerk_role_needs_a_department(login_as, city_scjg):
    clerk_role = Role.objects.get(code="clerk")
    response = login_as("city_admin").post(
        reverse("admin:org_user_add"),
        _staff_form("nodept", "", "", [clerk_role.pk], city_scjg.center_id),
    )
    assert response.status_code == 200
    assert "必须指定所属部门" in response.content.decode()
    assert not User.objects.filter(username="nodept").exists()


def test_an_account_without_staff_place_is_refused(login_as, city_scjg):
    data = _staff_form("noplace", "", "", [], city_scjg.center_id)
    data["staff-0-center"] = ""
    response = login_as("city_admin").post(reverse("admin:org_user_add"), data)
    assert response.status_code == 200
    assert not User.objects.filter(username="noplace").exists()


def _offered(response, field: str, inline: str = "") -> set[int]:
    form = response.context["adminform"].form
    if inline:
        formsets = response.context["inline_admin_formsets"]
        form = next(f.formset for f in formsets if f.formset.prefix == inline).empty_form
    return set(form.fields[field].queryset.values_list("pk", flat=True))


def _kc_departments(scjg):
    return Department.objects.filter(center__region_code="330802")


def _kc_center(scjg):
    return Center.objects.filter(region_code="330802")  # a county has no children


@pytest.mark.parametrize(
    ("username", "url", "field", "inline", "in_scope"),
    [
        ("kc_admin", "admin:org_window_add", "department", "", _kc_departments),
        ("kc_admin", "admin:org_user_add", "department", "staff", _kc_departments),
        ("kc_admin", "admin:catalogue_regulation_add", "center", "", _kc_center),
        ("kc_admin", "admin:notifications_notificationtemplate_add", "center", "", _kc_center),
        (
            "scjg_admin",
            "admin:catalogue_serviceitem_add",
            "department",
            "",
            lambda scjg: Department.objects.filter(pk=scjg.pk),
        ),
        (
            "scjg_admin",
            "admin:catalogue_serviceitem_add",
            "window",
            "",
            lambda scjg: Window.objects.filter(department=scjg),
        ),
    ],
    ids=[
        "window-department",
        "staff-department",
        "regulation-center",
        "template-center",
        "item-department",
        "item-window",
    ],
)
def test_every_back_office_form_offers_only_choices_in_scope(
    login_as, city_scjg, username, url, field, inline, in_scope
):
    response = login_as(username).get(reverse(url))
    assert response.status_code == 200
    wanted = set(in_scope(city_scjg).values_list("pk", flat=True))
    assert wanted and _offered(response, field, inline) == wanted
