"""Every named move checks its actor's right and scope in the service itself,
whoever calls it (a page, the API, an import): refused, it writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PDF_BYTES
from hall.cases import services
from hall.cases.constants import CaseStatus
from hall.cases.models import (
    Case,
    Extension,
    InternalNote,
    ReviewMessage,
    StatusChange,
    Suspension,
)
from hall.core.models import AuditEntry

pytestmark = pytest.mark.django_db

# move: (the status the case must be in for the move to be possible, the call)
MOVES = {
    "accept": ("submitted", lambda case, actor: services.case_accept(case=case, actor=actor)),
    "refuse": (
        "submitted",
        lambda case, actor: services.case_refuse(case=case, actor=actor, reason="材料不全"),
    ),
    "approve": ("accepted", lambda case, actor: services.case_approve(case=case, actor=actor)),
    "reject": (
        "accepted",
        lambda case, actor: services.case_reject(case=case, actor=actor, reason="不符合条件"),
    ),
    "withdraw": (
        "submitted",
        lambda case, actor: services.case_withdraw(case=case, actor=actor, reason="申请人来电"),
    ),
    "reply": (
        "submitted",
        lambda case, actor: services.case_reply(case=case, actor=actor, text="请补充说明"),
    ),
    "correction": (
        "submitted",
        lambda case, actor: services.case_request_correction(
            case=case, actor=actor, text="请补正申请书", points=[]
        ),
    ),
    "suspend": (
        "accepted",
        lambda case, actor: services.case_suspend(
            case=case, actor=actor, kind="hearing", reason="举行听证", expected_days=5
        ),
    ),
    "resume": ("suspended", lambda case, actor: services.case_resume(case=case, actor=actor)),
    "complete": (
        "approved",
        lambda case, actor: services.case_complete(
            case=case, actor=actor, certificate_number="JY133080001", delivery="post"
        ),
    ),
    "note": (
        "accepted",
        lambda case, actor: services.case_add_note(case=case, actor=actor, text="内部备注"),
    ),
}
# The case belongs to the city's 市场监管局 (SCJG); these actors hold
# cases.change_case and cases.view_case, but not over this case, or the other way round.
OUTSIDERS = {
    "lacks the right (a supervisor of the same center)": "city_supervisor",
    "another department of the same center": "zrzy_clerk",
    "the same department of another center": "kc_scjg_clerk",
}
# Extension needs cases.approve_extension, which a clerk lacks.
EXTEND_OUTSIDERS = {
    "lacks the right (a clerk of the department)": "scjg_clerk",
    "a department admin of another center": "kc_scjg_admin",
}


def written(case) -> dict:
    """Everything a move could write about `case`."""
    return {
        "case": Case.objects.filter(pk=case.pk).values().get(),
        "history": list(StatusChange.objects.filter(case=case).values_list("pk", flat=True)),
        "audit": list(AuditEntry.objects.values_list("pk", flat=True)),
        "messages": ReviewMessage.objects.filter(case=case).count(),
        "notes": InternalNote.objects.filter(case=case).count(),
        "suspensions": list(Suspension.objects.filter(case=case).values()),
        "extensions": Extension.objects.filter(case=case).count(),
    }


@pytest.mark.parametrize("move", MOVES)
def test_the_departments_clerk_may_make_each_move(make_case, user_named, move):
    """The control of the refusals below: the same call by the right actor writes."""
    status, call = MOVES[move]
    case = make_case(status=status)
    before = written(case)
    call(case, user_named("scjg_clerk"))
    after = written(case)
    assert after != before
    assert len(after["audit"]) > len(before["audit"])


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("who", OUTSIDERS)
def test_each_move_refuses_an_actor_without_the_right_or_the_scope(
    make_case, user_named, move, who
):
    status, call = MOVES[move]
    case = make_case(status=status)
    before = written(case)
    with pytest.raises(services.CaseForbidden):
        call(case, user_named(OUTSIDERS[who]))
    assert written(case) == before


@pytest.mark.parametrize("move", MOVES)
def test_each_move_refuses_an_anonymous_actor(make_case, move):
    from django.contrib.auth.models import AnonymousUser

    status, call = MOVES[move]
    case = make_case(status=status)
    before = written(case)
    for actor in (None, AnonymousUser()):
        with pytest.raises(services.CaseForbidden):
            call(case, actor)
    assert written(case) == before


def test_extension_by_the_departments_admin(make_case, user_named):
    case = make_case(status=CaseStatus.ACCEPTED)
    services.case_extend(case=case, actor=user_named("scjg_admin"), reason="需要现场核查")
    assert Extension.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("who", EXTEND_OUTSIDERS)
def test_extension_refuses_an_actor_without_the_right_or_the_scope(make_case, user_named, who):
    case = make_case(status=CaseStatus.ACCEPTED)
    before = written(case)
    with pytest.raises(services.CaseForbidden):
        services.case_extend(case=case, actor=user_named(EXTEND_OUTSIDERS[who]), reason="核查")
    assert written(case) == before


def test_extension_refuses_before_it_tells_the_cases_state(make_case, user_named):
    """An outsider learns nothing: a closed case is refused as forbidden, not as closed."""
    case = make_case(status=CaseStatus.COMPLETED)
    with pytest.raises(services.CaseForbidden):
        services.case_extend(case=case, actor=user_named("kc_scjg_admin"), reason="核查")


def walk_in(item, actor):
    material = item.materials.get(name="食品经营许可申请书")
    return services.case_walk_in(
        item=item,
        applicant=services.Applicant(
            kind="person",
            name="李四",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13900001111",
        ),
        actor=actor,
        received=list(item.materials.all()),
        originals=[],
        scans={material.pk: [SimpleUploadedFile("扫描.pdf", PDF_BYTES)]},
        accept=True,
    )


def test_the_departments_clerk_may_record_a_walk_in(online_item, user_named):
    case = walk_in(online_item, user_named("scjg_clerk"))
    assert case.status == CaseStatus.ACCEPTED and case.files.count() == 1


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_walk_in_refuses_an_actor_without_the_right_or_the_scope(online_item, user_named, who):
    audit = list(AuditEntry.objects.values_list("pk", flat=True))
    count = online_item.application_count
    with pytest.raises(services.CaseForbidden):
        walk_in(online_item, user_named(OUTSIDERS[who]))
    assert not Case.objects.exists()
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == audit
    online_item.refresh_from_db()
    assert online_item.application_count == count
