"""No 500 on any input: every query parameter of every list, staff, back-office
and public, takes hostile values (ids past 64 bits, negative, non-numeric,
year 0 and 10000, 10,000 characters, NUL, script, SQL quote) and answers with
a page, a redirect or a refusal, never a server error.

The pages are read from the URLconf (urlwalk); the parameters of each staff and
public page are declared below, the back office's are read from each
ModelAdmin. PostgreSQL refuses NUL in text and compares ids past its bigint;
SQLite fails binding an integer past 64 bits: run this on both.
"""

import re
from datetime import date
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from hall.agencies import forms as agency_forms
from hall.agencies.tests.factories import make_agency
from hall.announcements.forms import AnnouncementFilterForm, ResultFilterForm
from hall.announcements.models import Announcement
from hall.cases.tests.factories import CaseFactory
from hall.catalogue.constants import FilingAction
from hall.catalogue.forms import CompletenessFilterForm, SearchForm
from hall.catalogue.models import Material, ServiceItem
from hall.catalogue.services import item_next_code, item_record_change
from hall.core.forms import MAX_ID, AuditFilterForm, IdField, SearchField, clean_search, parse_id
from hall.notifications.forms import LogFilterForm
from hall.org.models import Department, User
from hall.policies.forms import PublicFilterForm, StaffFilterForm
from hall.supervision.forms import PeriodForm
from hall.workdays.models import Holiday

from .urlwalk import (
    HOSTILE,
    HUGE,
    admin_changelists,
    admin_list_params,
    form_params,
    hostile_values,
    pages,
)

# ---- the reported 500s ----------------------------------------------------------------

REPORTED = {
    "completeness-huge": f"/staff/catalogue/completeness/?department={HUGE}",
    "completeness-30-digits": "/staff/catalogue/completeness/?department=" + "9" * 30,
    "completeness-other-digit": "/staff/catalogue/completeness/?department=²",
    "holiday-year-0": "/admin/workdays/holiday/?year=0",
    "holiday-year-10000": "/admin/workdays/holiday/?year=10000",
    "item-department-huge": f"/admin/catalogue/serviceitem/?department={HUGE}",
    "regulation-department-huge": f"/admin/catalogue/regulation/?department={HUGE}",
    "notification-department-huge": f"/admin/notifications/notification/?department={HUGE}",
    "notification-case-huge": f"/admin/notifications/notification/?case={HUGE}",
}


@pytest.fixture
def holiday(db):
    # The year filter offers the years of the calendar: it is there only with a day in it.
    return Holiday.objects.create(date=date(2024, 10, 1), kind="holiday", name="国庆节")


@pytest.mark.parametrize("username", ["sysadmin", "city_admin"])
@pytest.mark.parametrize("url", REPORTED.values(), ids=REPORTED.keys())
def test_reported_filter_values_answer_without_a_server_error(login_as, holiday, url, username):
    client = login_as(username)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code < 500, f"{url} as {username}: {response.status_code}"


def test_a_bad_department_on_the_completeness_page_is_reported_and_ignored(login_as):
    client = login_as("city_admin")
    response = client.get(reverse("catalogue:completeness"), {"department": HUGE})
    assert response.status_code == 200
    assert "部门参数无效，已忽略。" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"department": HUGE}, "department"),
        ({"department__id__exact": "9" * 30}, "department__id__exact"),
        ({"name": "营业\x00执照"}, "name"),
        ({"name__regex": "("}, "name__regex"),
        ({"promised_days__gte": "²"}, "promised_days__gte"),
        ({"updated_at__year": "0"}, "updated_at__year"),
        ({"updated_at__gte": "0001-01-01"}, "updated_at__gte"),
    ],
)
def test_a_bad_back_office_filter_sends_back_to_the_list_with_its_name(login_as, query, name):
    client = login_as("sysadmin")
    url = reverse("admin:catalogue_serviceitem_changelist")
    response = client.get(url, query)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"筛选条件“{name}”的值无效，已显示全部记录。" in page.content.decode()


def test_a_year_outside_the_calendar_sends_back_to_the_holiday_list(login_as, holiday):
    client = login_as("city_admin")
    url = reverse("admin:workdays_holiday_changelist")
    assert client.get(url, {"year": "2024"}).status_code == 200
    response = client.get(url, {"year": "10000"})
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


def test_the_back_office_search_drops_nul_and_is_cut(login_as, make_item, city_scjg):
    make_item(city_scjg, "营业执照核发")
    client = login_as("sysadmin")
    url = reverse("admin:catalogue_serviceitem_changelist")
    response = client.get(url, {"q": "营业\x00执照"})
    assert response.status_code == 200
    assert response.context["cl"].query == "营业 执照"
    assert response.context["cl"].result_count == 1
    long = client.get(url, {"q": "a " * 5000})
    assert long.status_code == 200
    assert len(long.context["cl"].query) <= 100


def test_the_workbench_search_drops_nul(login_as):
    client = login_as("sysadmin")
    response = client.get(reverse("cases:queue"), {"q": "张\x00三", "tab": "all"})
    assert response.status_code == 200
    assert response.context["q"] == "张 三"


def test_the_public_search_drops_nul(client, db):
    response = client.get(reverse("catalogue:search"), {"q": "营业\x00执照"})
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["q"] == "营业 执照"


def test_a_nul_in_the_path_is_no_page(client, login_as):
    # Answered before any view: a staff page would send a visitor to the login page.
    client.raise_request_exception = False
    assert client.get("/staff/cases/walk-in/a%00b/").status_code == 404
    assert client.get("/staff/cases/walk-in/ab/").status_code == 302
    assert client.get("/items/a%00b/").status_code == 404
    assert login_as("sysadmin").get("/staff/catalogue/items/a%00b/versions/").status_code == 404


# ---- the shared fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (HUGE, None),
        ("9" * 30, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("²", None),
        ("١", None),
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


def test_id_field_refuses_in_chinese():
    form = CompletenessFilterForm({"department": HUGE})
    assert not form.is_valid()
    assert form.errors["department"] == ["编号无效，请从列表中选择。"]
    assert IdField(required=False).clean("") is None


def test_search_text_loses_control_characters_and_is_cut():
    assert clean_search(" 营业\x00执照\t ", 40) == "营业 执照"
    assert clean_search("x" * 100, 10) == "x" * 10
    assert SearchField(max_length=5).clean("a\x00bcdefg") == "a bcd"
    assert SearchForm({"q": "营业\x00"}).is_valid()


@pytest.mark.parametrize("form_class", [LogFilterForm, AuditFilterForm])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_log_dates_stay_within_the_halls_years(db, form_class, day):
    form = form_class({"date_from": day})
    assert not form.is_valid()
    assert form.errors["date_from"] == ["日期应在 2000 年至 2099 年之间。"]


# ---- the walk -------------------------------------------------------------------------

# The query parameters each staff page reads. A page missing here fails
# test_every_page_declares_its_parameters: a new list declares what it takes.
_PERIOD = {**form_params(PeriodForm), "center": "id", "department": "id"}
# ratings figures: the staff figures' month range and drill-down
_RATING_FIGURES = {
    "month_from": "date",
    "month_to": "date",
    "center": "id",
    "department": "id",
    "item": "id",
    "clerk": "id",
}
STAFF_PARAMS = {
    "cases:queue": {"tab": "choice", "q": "search", "sort": "choice", "page": "page"},
    "cases:walk_in_start": {"q": "search"},
    "catalogue:filings": {"status": "choice", "page": "page"},
    "catalogue:completeness": form_params(CompletenessFilterForm),
    "catalogue:export": {},
    "catalogue:import": {},
    "agencies:staff_list": {**form_params(agency_forms.StaffFilterForm), "page": "page"},
    "agencies:staff_new": {},
    "agencies:export": {},
    "agencies:template": {},
    "agencies:import": {},
    "notifications:log": {**form_params(LogFilterForm), "page": "page"},
    "notifications:stats": {},
    "notifications:templates": {"center": "id"},
    "supervision:dashboard": _PERIOD,
    "supervision:export": _PERIOD,
    "core:audit_log": {**form_params(AuditFilterForm), "page": "page"},
    "org:landing": {},
    "org:login": {"next": "url"},
    "org:logout": {},
    "org:departments": {},
    "org:login_code": {"next": "url"},
    "org:account": {},
    "org:otp_enrol": {},
    "org:otp_remove": {},
    "org:sessions": {},
    "org:session_end": {},
    "workdays:schedule": {},
    "policies:staff_list": {**form_params(StaffFilterForm), "page": "page"},
    "policies:staff_create": {},
    "qa:queue": {
        "tab": "choice",
        "department": "id",
        "center": "id",
        "q": "search",
        "page": "page",
    },
    "announcements:staff_list": {"page": "page"},
    "announcements:staff_new": {},
    "announcements:staff_results": {"late": "choice", "page": "page"},
    "announcements:staff_settings": {},
    # 差评整改
    "rectification:list": {"tab": "choice", "department": "id", "page": "page"},
    "rectification:appeals": {"tab": "choice", "department": "id", "page": "page"},
    "rectification:settings": {},
    # complaints hall
    "feedback:staff_list": {
        "status": "choice",
        "category": "choice",
        "department": "id",
        "overdue": "choice",
        "escalated": "choice",
        "q": "search",
        "page": "page",
    },
    "feedback:export": {
        "status": "choice",
        "category": "choice",
        "department": "id",
        "overdue": "choice",
        "q": "search",
    },
    "feedback:settings": {},
    "feedback:shared_list": {"page": "page"},
    # ratings figures: the month range and the drill-down
    "ratings:figures": _RATING_FIGURES,
    "ratings:figures_export": {**_RATING_FIGURES, "table": "choice"},
    # the windows' office
    "summaries:mine": {},
    "summaries:start": {},
    "summaries:center": {"month": "date"},
    "summaries:export": {"month": "date"},
    "summaries:settings": {},
    "notices:inbox": {"page": "page"},
    "notices:sent": {"page": "page"},
    "notices:new": {},
    "messaging:list": {"page": "page"},
    "messaging:new": {},
    "usage:index": {"month": "date", "center": "id"},
    "usage:index_export": {"month": "date", "center": "id"},
    "assessment:list": {},
    "assessment:create": {},
    "practice:home": {},
    "practice:switch": {},
    "practice:reset": {},
    "practice:drill_start": {},
    "manual:index": {},
    "manual:handbook": {},
}
# Pages whose arguments name no object: asked with these.
STAFF_KWARGS = {"supervision:export": {"table": "overdue"}}

PUBLIC_PARAMS = {
    "portal:home": {"center": "id"},
    "catalogue:browse": {
        "center": "id",
        "department": "id",
        "theme": "search",
        "applicant": "choice",
        "page": "page",
    },
    "catalogue:search": {**form_params(SearchForm), "page": "page"},
    "portal:search": form_params(SearchForm),
    "catalogue:regulations": {"level": "choice", "q": "search", "page": "page"},
    "policies:list": {**form_params(PublicFilterForm), "page": "page"},
    "policies:feed": {},
    "agencies:list": {**form_params(agency_forms.PublicFilterForm), "page": "page"},
    "cases:track": {"number": "search"},
    "qa:list": {"q": "search", "department": "id", "page": "page"},
    "qa:ask": {"center": "id"},
    "qa:suggest": {"q": "search"},
    "qa:track": {"number": "search"},
    "notifications:callback": {},
    "set_language": {"language": "choice", "next": "url"},
    "healthz": {},
    "announcements:index": {**form_params(AnnouncementFilterForm), "page": "page"},
    "announcements:feed": {},
    "announcements:results": {**form_params(ResultFilterForm), "page": "page"},
    "announcements:results_feed": {},
    "announcements:results_export": form_params(ResultFilterForm),
    # complaints hall
    "feedback:index": {"q": "search", "page": "page"},
    "feedback:file": {"center": "id", "department": "id"},
    "feedback:track": {"number": "search"},
    # ratings figures: the public 好差评 page
    "ratings:public": {"month": "date", "center": "id", "department": "id", "item": "id"},
}
PUBLIC_KWARGS = {"portal:column": {"slug": "guide"}}

STAFF_PAGES = pages("staff/")
PUBLIC_PAGES = {
    name: page
    for name, page in pages("").items()
    if not page.route.startswith(("staff/", "admin/", "api/"))
}


def _with_arguments(page_map, kwargs):
    return sorted(n for n, p in page_map.items() if p.converters and n not in kwargs)


def test_every_page_declares_its_parameters():
    for page_map, params, kwargs in (
        (STAFF_PAGES, STAFF_PARAMS, STAFF_KWARGS),
        (PUBLIC_PAGES, PUBLIC_PARAMS, PUBLIC_KWARGS),
    ):
        plain = {n for n, p in page_map.items() if not p.converters or n in kwargs}
        missing = sorted(plain - set(params) - set(kwargs))
        assert not missing, f"pages without declared query parameters: {missing}"
        stale = sorted(set(params) - set(page_map))
        assert not stale, f"declared pages the URLconf no longer has: {stale}"


@pytest.fixture(scope="module")
def walk_data(django_db_setup, django_db_blocker):
    """A county item with an accepted case (its SMS queued), a filing and a
    holiday, so that every list has rows and every filter has choices; rolled
    back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        department = Department.objects.get(center__region_code="330802", code="SCJG")
        item = ServiceItem.objects.create(
            center=department.center,
            department=department,
            code=item_next_code(department=department, item_type="xk"),
            name="营业执照核发（走查）",
            item_type="xk",
            online_depth=4,
            promised_days=5,
            statutory_days=20,
            result_name="许可证",
            applicant_type="company",
            publish_decisions=True,
            result_fields=["applicant", "decision_date", "address"],
        )
        Material.objects.create(item=item, name="申请书", submission="online", sort_order=0)
        Announcement.objects.create(
            center=department.center, category="notice", title="走查公告", body="正文"
        )
        item_record_change(
            actor=User.objects.get(username="kc_scjg_admin"),
            item=item,
            before=None,
            action=FilingAction.CREATE,
        )
        CaseFactory(item=item, accepted=True)
        CaseFactory(item=item, approved=True)  # its result is queued
        make_agency("走查测绘有限公司", region="330802", items=[item])
        Holiday.objects.create(date=date(2024, 10, 1), kind="holiday", name="国庆节")
        yield item
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walk_clients(walk_data, django_db_blocker):
    """One client per role for the module, signed in once."""
    clients = {"anonymous": Client(raise_request_exception=False)}
    with django_db_blocker.unblock():
        for role in ("sysadmin", "kc_scjg_clerk"):
            client = Client(raise_request_exception=False)
            client.force_login(
                User.objects.get(username=role), backend="hall.org.backends.StaffBackend"
            )
            clients[role] = client
    return clients


def _walk(client, requests):
    """GET every (url, query) in its own savepoint; the ones that answered 5xx."""
    errors = []
    for url, query, label in requests:
        with transaction.atomic():
            response = client.get(url, query)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url} {label}")
    return errors


def _param_requests(url, params: dict):
    yield url, {"unknown": "1"}, "unknown=1"
    for param, kind in params.items():
        for label, value in hostile_values(kind):
            yield url, {param: value}, f"{param}={label}"


_PATH_VALUES = {
    "int": [("huge30", "9" * 30)],
    "str": [("nul", HOSTILE["nul"]), ("long", "x" * 2000)],
    "slug": [("long", "x" * 2000)],
}


_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _path_requests(page):
    """The page with each argument hostile in turn (the others a plain 1)."""
    names = [m["name"] for m in _ARGUMENT.finditer(page.route)]
    kinds = {m["name"]: m["converter"] or "str" for m in _ARGUMENT.finditer(page.route)}
    for name in names:
        for label, value in _PATH_VALUES.get(kinds[name], _PATH_VALUES["str"]):
            route = _ARGUMENT.sub(
                lambda m, name=name, value=value: value if m["name"] == name else "1", page.route
            )
            yield "/" + quote(route, safe="/."), {}, f"<{name}>={label}"


@pytest.mark.parametrize("role", ["sysadmin", "kc_scjg_clerk"])
@pytest.mark.parametrize("name", sorted(STAFF_PARAMS))
def test_staff_page_takes_hostile_query_values(walk_clients, db, role, name):
    url = reverse(name, kwargs=STAFF_KWARGS.get(name))
    errors = _walk(walk_clients[role], _param_requests(url, STAFF_PARAMS[name]))
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("role", ["sysadmin", "kc_scjg_clerk"])
def test_staff_pages_take_hostile_path_arguments(walk_clients, db, role):
    requests = [
        r
        for name in _with_arguments(STAFF_PAGES, STAFF_KWARGS)
        for r in _path_requests(STAFF_PAGES[name])
    ]
    errors = _walk(walk_clients[role], requests)
    assert not errors, "\n".join(errors)


BACK_OFFICE = admin_changelists()


@pytest.mark.parametrize("role", ["sysadmin"])
@pytest.mark.parametrize("label", sorted(BACK_OFFICE))
def test_back_office_list_takes_hostile_query_values(walk_clients, db, role, label):
    model, model_admin, url = BACK_OFFICE[label]
    client = walk_clients[role]
    if client.get(url).status_code != 200:
        pytest.skip(f"{label} is not open to {role}")
    request = RequestFactory().get(url)
    request.user = User.objects.get(username="sysadmin")
    params = admin_list_params(model_admin, request)
    requests = [
        (url, {param: value}, f"{param}={value_label}")
        for param, kind in params.items()
        for value_label, value in hostile_values(kind)
    ]
    errors = _walk(client, requests)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("name", sorted(PUBLIC_PARAMS))
def test_public_page_takes_hostile_query_values(walk_clients, db, name):
    url = reverse(name)
    errors = _walk(walk_clients["anonymous"], _param_requests(url, PUBLIC_PARAMS[name]))
    assert not errors, "\n".join(errors)


def test_public_pages_take_hostile_path_arguments(walk_clients, db):
    requests = [
        r
        for name in _with_arguments(PUBLIC_PAGES, PUBLIC_KWARGS)
        for r in _path_requests(PUBLIC_PAGES[name])
    ]
    errors = _walk(walk_clients["anonymous"], requests)
    assert not errors, "\n".join(errors)


API_PARAMS = {
    "/api/v1/items": {"q": "search", "department": "search", "limit": "page", "offset": "page"},
    "/api/v1/applications/ABCD-EFGH-JKMN-PQ": {"phone": "search"},
    "/api/v1/policies": {
        "q": "search",
        "department": "id",
        "kind": "choice",
        "year": "int",
        "status": "choice",
        "limit": "page",
        "offset": "page",
    },
    "/api/v1/policies/1": {},
    "/api/v1/questions": {"q": "search", "department": "id", "limit": "page", "offset": "page"},
    "/api/v1/questions/ABCD-EFGH-JKMN-PQ": {"phone": "search"},
    "/api/v1/announcements": {
        "q": "search",
        "category": "search",
        "center": "search",
        "limit": "page",
        "offset": "page",
    },
    "/api/v1/results": {
        "q": "search",
        "item": "search",
        "department": "search",
        "date_from": "search",
        "date_to": "search",
        "limit": "page",
        "offset": "page",
    },
}


@pytest.mark.parametrize("url", sorted(API_PARAMS))
def test_public_api_takes_hostile_query_values(walk_clients, db, url):
    errors = _walk(walk_clients["anonymous"], _param_requests(url, API_PARAMS[url]))
    assert not errors, "\n".join(errors)
