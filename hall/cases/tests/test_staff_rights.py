"""Each staff page of a case declares the right its write really needs, and a
refusal by the service answers 404 like a case outside the user's scope."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory
from django.urls import URLPattern, reverse

from hall.cases import services, staff_views, urls
from hall.cases.constants import CaseStatus
from hall.cases.models import Case, InternalNote, ReviewMessage, StatusChange

pytestmark = pytest.mark.django_db

VIEW, HANDLE, EXTEND = "cases.view_case", "cases.change_case", "cases.approve_extension"
# Every staff URL of the cases app and the right its view declares.
DECLARED = {
    "queue": VIEW,
    "staff_case": VIEW,
    "notice": VIEW,
    "staff_file": VIEW,
    "walk_in_start": HANDLE,
    "walk_in": HANDLE,
    "reply": HANDLE,
    "correction": HANDLE,
    "accept": HANDLE,
    "refuse": HANDLE,
    "suspend": HANDLE,
    "resume": HANDLE,
    "approve": HANDLE,
    "reject": HANDLE,
    "complete": HANDLE,
    "note": HANDLE,
    "extend": EXTEND,
}
MOVES = [name for name, right in DECLARED.items() if right != VIEW and "walk_in" not in name]


def staff_patterns() -> dict[str, URLPattern]:
    return {
        p.name: p
        for p in urls.urlpatterns
        if getattr(p.callback, "__module__", "") == staff_views.__name__
    }


def test_every_staff_url_of_a_case_has_a_declared_right():
    """A new staff URL fails here until it says which right it needs."""
    declared = {
        name: getattr(p.callback, "required_perm", None) for name, p in staff_patterns().items()
    }
    assert declared == DECLARED


def test_the_declared_rights_are_the_ones_the_services_check():
    assert (services.RIGHT_HANDLE, services.RIGHT_EXTEND) == (HANDLE, EXTEND)


@pytest.mark.parametrize("name", MOVES)
def test_a_supervisor_who_may_only_read_gets_404_for_every_move(login_as, make_case, name):
    """Even with input the form refuses: the right is checked before anything is read."""
    case = make_case(status=CaseStatus.ACCEPTED)
    history = StatusChange.objects.filter(case=case).count()
    response = login_as("city_supervisor").post(reverse(f"cases:{name}", args=[case.pk]), {})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
    assert StatusChange.objects.filter(case=case).count() == history
    assert not ReviewMessage.objects.filter(case=case).exists()
    assert not InternalNote.objects.filter(case=case).exists()


def test_a_clerk_cannot_reach_the_extension(login_as, make_case):
    case = make_case(status=CaseStatus.ACCEPTED)
    response = login_as("scjg_clerk").post(
        reverse("cases:extend", args=[case.pk]), {"extend-reason": "需要现场核查"}
    )
    assert response.status_code == 404
    assert not case.extensions.exists()


def test_a_department_admin_extends_from_the_case_page(login_as, make_case):
    case = make_case(status=CaseStatus.ACCEPTED)
    response = login_as("scjg_admin").post(
        reverse("cases:extend", args=[case.pk]), {"extend-reason": "需要现场核查"}
    )
    assert response.status_code == 302
    assert case.extensions.count() == 1


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_by_the_service_answers_404_and_any_other_a_message(make_case, user_named):
    case = make_case()
    clerk = user_named("scjg_clerk")

    def forbidden(case):
        raise services.CaseForbidden("该办件不在您的办理范围内。")

    def refused(case):
        raise services.CaseError("请填写理由。")

    with pytest.raises(Http404):
        staff_views._act(_request(clerk), case.pk, forbidden)
    request = _request(clerk)
    response = staff_views._act(request, case.pk, refused)
    assert response.status_code == 302
    assert [str(m) for m in request._messages] == ["请填写理由。"]
