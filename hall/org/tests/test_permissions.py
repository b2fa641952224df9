"""Every staff URL × every role × own/other center → the expected status."""

import pytest
from django.urls import reverse

from hall.catalogue.models import ServiceItem
from hall.org.models import Center, Department, User, Window

# Roles of the demo accounts, in the city and in the 柯城区 county center.
ROLES = [
    "anonymous",
    "city_admin",
    "city_supervisor",
    "scjg_admin",
    "scjg_clerk",
    "kc_admin",
    "kc_supervisor",
    "kc_scjg_admin",
    "kc_scjg_clerk",
]


def _dept(region, code):
    return Department.objects.get(center__region_code=region, code=code)


# (name, url builder) — the object each URL points at is chosen per case.
URLS = {
    "landing": lambda: reverse("org:landing"),
    "departments": lambda: reverse("org:departments"),
    "audit_log": lambda: reverse("core:audit_log"),
    "dept_city_scjg": lambda: reverse("org:department_detail", args=[_dept("330800", "SCJG").pk]),
    "dept_city_zrzy": lambda: reverse("org:department_detail", args=[_dept("330800", "ZRZY").pk]),
    "dept_kc_scjg": lambda: reverse("org:department_detail", args=[_dept("330802", "SCJG").pk]),
    "dept_qj_scjg": lambda: reverse("org:department_detail", args=[_dept("330803", "SCJG").pk]),
    "admin_index": lambda: reverse("admin:index"),
    "admin_departments": lambda: reverse("admin:org_department_changelist"),
    "admin_dept_city_scjg": lambda: reverse(
        "admin:org_department_change", args=[_dept("330800", "SCJG").pk]
    ),
    "admin_dept_kc_scjg": lambda: reverse(
        "admin:org_department_change", args=[_dept("330802", "SCJG").pk]
    ),
    "admin_dept_qj_scjg": lambda: reverse(
        "admin:org_department_change", args=[_dept("330803", "SCJG").pk]
    ),
    "admin_center_city": lambda: reverse(
        "admin:org_center_change", args=[Center.objects.get(region_code="330800").pk]
    ),
    "admin_window_city_scjg": lambda: reverse(
        "admin:org_window_change",
        args=[Window.objects.filter(department=_dept("330800", "SCJG")).first().pk],
    ),
    "admin_user_city_clerk": lambda: reverse(
        "admin:org_user_change", args=[User.objects.get(username="scjg_clerk").pk]
    ),
    "admin_user_kc_clerk": lambda: reverse(
        "admin:org_user_change", args=[User.objects.get(username="kc_scjg_clerk").pk]
    ),
    "filings": lambda: reverse("catalogue:filings"),
    "completeness": lambda: reverse("catalogue:completeness"),
    "export": lambda: reverse("catalogue:export"),
    "import": lambda: reverse("catalogue:import"),
    "versions_city_item": lambda: reverse("catalogue:versions", args=[_item("330800").code]),
    "versions_kc_item": lambda: reverse("catalogue:versions", args=[_item("330802").code]),
    "admin_item_city": lambda: reverse(
        "admin:catalogue_serviceitem_change", args=[_item("330800").pk]
    ),
    "admin_item_kc": lambda: reverse(
        "admin:catalogue_serviceitem_change", args=[_item("330802").pk]
    ),
    "admin_items": lambda: reverse("admin:catalogue_serviceitem_changelist"),
    "supervision": lambda: reverse("supervision:dashboard"),
    "supervision_export": lambda: reverse("supervision:export", args=["overdue"]),
}


def _item(region):
    return ServiceItem.objects.get(center__region_code=region, name="矩阵测试事项")


# Expected status per URL; roles not listed get the URL's default.
# 302 = to the login page; 404 = outside the role or the scope.
EXPECTED = {
    "landing": ({"anonymous": 302}, 200),
    "departments": ({"anonymous": 302}, 200),
    "audit_log": (
        {
            "anonymous": 302,
            "city_admin": 200,
            "city_supervisor": 200,
            "kc_admin": 200,
            "kc_supervisor": 200,
        },
        404,
    ),
    "dept_city_scjg": (
        {
            "anonymous": 302,
            "city_admin": 200,
            "city_supervisor": 200,
            "scjg_admin": 200,
            "scjg_clerk": 200,
        },
        404,
    ),
    "dept_city_zrzy": ({"anonymous": 302, "city_admin": 200, "city_supervisor": 200}, 404),
    "dept_kc_scjg": (
        {
            "anonymous": 302,
            "city_admin": 200,
            "city_supervisor": 200,
            "kc_admin": 200,
            "kc_supervisor": 200,
            "kc_scjg_admin": 200,
            "kc_scjg_clerk": 200,
        },
        404,
    ),
    "dept_qj_scjg": ({"anonymous": 302, "city_admin": 200, "city_supervisor": 200}, 404),
    "admin_index": (
        {
            "anonymous": 302,
            "city_admin": 200,
            "scjg_admin": 200,
            "kc_admin": 200,
            "kc_scjg_admin": 200,
        },
        404,
    ),
    "admin_departments": (
        {
            "anonymous": 302,
            "city_admin": 200,
            "scjg_admin": 200,
            "kc_admin": 200,
            "kc_scjg_admin": 200,
        },
        404,
    ),
    "admin_dept_city_scjg": ({"anonymous": 302, "city_admin": 200, "scjg_admin": 200}, 404),
    "admin_dept_kc_scjg": (
        {"anonymous": 302, "city_admin": 200, "kc_admin": 200, "kc_scjg_admin": 200},
        404,
    ),
    "admin_dept_qj_scjg": ({"anonymous": 302, "city_admin": 200}, 404),
    "admin_center_city": ({"anonymous": 302, "city_admin": 200}, 404),
    "admin_window_city_scjg": ({"anonymous": 302, "city_admin": 200, "scjg_admin": 200}, 404),
    "admin_user_city_clerk": ({"anonymous": 302, "city_admin": 200, "scjg_admin": 200}, 404),
    "admin_user_kc_clerk": (
        {"anonymous": 302, "city_admin": 200, "kc_admin": 200, "kc_scjg_admin": 200},
        404,
    ),
}

_READERS = {
    "city_admin",
    "city_supervisor",
    "scjg_admin",
    "kc_admin",
    "kc_supervisor",
    "kc_scjg_admin",
}
_EDITORS = {"city_admin", "scjg_admin", "kc_admin", "kc_scjg_admin"}
EXPECTED.update(
    {
        "filings": ({"anonymous": 302, **dict.fromkeys(_READERS, 200)}, 404),
        "completeness": ({"anonymous": 302, **dict.fromkeys(_READERS, 200)}, 404),
        "export": ({"anonymous": 302, **dict.fromkeys(_READERS, 200)}, 404),
        "import": ({"anonymous": 302, **dict.fromkeys(_EDITORS, 200)}, 404),
        "versions_city_item": ({"anonymous": 302, "city_admin": 200, "scjg_admin": 200}, 404),
        "versions_kc_item": (
            {"anonymous": 302, "city_admin": 200, "kc_admin": 200, "kc_scjg_admin": 200},
            404,
        ),
        "admin_item_city": ({"anonymous": 302, "city_admin": 200, "scjg_admin": 200}, 404),
        "admin_item_kc": (
            {"anonymous": 302, "city_admin": 200, "kc_admin": 200, "kc_scjg_admin": 200},
            404,
        ),
        "admin_items": ({"anonymous": 302, **dict.fromkeys(_EDITORS, 200)}, 404),
    }
)

# Real-time supervision: center admins and supervisors, city and county.
_SUPERVISORS = {"city_admin", "city_supervisor", "kc_admin", "kc_supervisor"}
EXPECTED.update(
    {
        "supervision": ({"anonymous": 302, **dict.fromkeys(_SUPERVISORS, 200)}, 404),
        "supervision_export": ({"anonymous": 302, **dict.fromkeys(_SUPERVISORS, 200)}, 404),
    }
)

CASES = [(url, role) for url in URLS for role in ROLES]


@pytest.fixture(autouse=True)
def matrix_items(make_item, city_scjg, kc_scjg):
    make_item(city_scjg, "矩阵测试事项")
    make_item(kc_scjg, "矩阵测试事项")


def test_every_url_has_expectations():
    assert set(URLS) == set(EXPECTED)


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{u}-{r}" for u, r in CASES])
def test_permission_matrix(client, login_as, url_name, role):
    if role != "anonymous":
        login_as(role)
    overrides, default = EXPECTED[url_name]
    expected = overrides.get(role, default)
    response = client.get(URLS[url_name]())
    assert response.status_code == expected, f"{url_name} as {role}"
    if expected == 302:
        # Anonymous visitors end on the one staff login page (the back office hops once).
        final = client.get(response["Location"], follow=True)
        assert final.request["PATH_INFO"] == reverse("org:login")
