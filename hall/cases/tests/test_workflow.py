"""The transition table, on cases that reached each state through the services:
every allowed move succeeds through the service that makes it, every other move
is refused by every service that leads to its target, and a refusal writes
nothing."""

import pytest

from hall.cases import workflow
from hall.cases.constants import CaseStatus
from hall.cases.models import Case, StatusChange
from hall.cases.services import CaseError, CaseForbidden, case_transition
from hall.core.models import AuditEntry

from .factories import INTO, MOVES, PATHS, clerk_of, resubmit, withdraw_by_applicant

pytestmark = pytest.mark.django_db

ALL = list(CaseStatus.values)
PAIRS = [(src, dst) for src in ALL for dst in ALL if src != dst]
ALLOWED = {(src, dst) for src, targets in workflow.ALLOWED_TRANSITIONS.items() for dst in targets}
APPLICANT_MOVES = {resubmit, withdraw_by_applicant}


def footprint(case: Case) -> tuple:
    """Everything a move writes about a case."""
    case = Case.objects.get(pk=case.pk)
    return (
        case.status,
        case.round,
        case.certificate_number,
        case.delivery,
        case.accepted_at,
        case.decided_at,
        case.completed_at,
        case.handled_by_id,
        case.promised_due,
        case.history.count(),
        case.rounds.count(),
        case.files.count(),
        case.messages.count(),
        case.suspensions.count(),
        case.suspensions.filter(ended_on__isnull=True).count(),
        AuditEntry.objects.filter(object_id=str(case.pk), action__startswith="case.").count(),
    )


def test_every_move_of_the_table_has_its_service_and_every_state_a_trait():
    assert set(MOVES) == ALLOWED
    assert set(PATHS) == set(ALL)


@pytest.mark.parametrize("status", ALL)
def test_each_trait_reaches_its_state_through_the_lifecycle(make_case, status):
    case = make_case(status=status)
    assert case.status == status
    path = list(case.history.order_by("at", "id"))
    assert [c.to_status for c in path] == ["submitted", *PATHS[status]]
    assert path[0].from_status == ""
    for before, after in zip(path, path[1:], strict=False):
        assert after.from_status == before.to_status
        assert workflow.can_move(before.to_status, after.to_status, by_applicant=after.by_applicant)
    for change in path[1:]:
        assert AuditEntry.objects.filter(
            object_id=str(case.pk), action=f"case.{change.to_status}"
        ).exists()


@pytest.mark.parametrize(("src", "dst"), PAIRS, ids=[f"{s}->{d}" for s, d in PAIRS])
def test_transition_table(make_case, src, dst):
    case = make_case(status=src)
    clerk = clerk_of(case.item.department)
    before = footprint(case)
    if (src, dst) in ALLOWED:
        move = MOVES[(src, dst)]
        move(case, clerk)
        case.refresh_from_db()
        assert case.status == dst
        last = StatusChange.objects.filter(case=case).last()
        by_applicant = move in APPLICANT_MOVES
        assert (last.from_status, last.to_status, last.by_applicant) == (src, dst, by_applicant)
        assert last.actor_id == (None if by_applicant else clerk.pk)
        assert StatusChange.objects.filter(case=case).count() == before[9] + 1
        assert AuditEntry.objects.filter(object_id=str(case.pk), action=f"case.{dst}").exists()
    else:
        assert INTO[dst], dst
        for move in INTO[dst]:
            with pytest.raises(CaseError):
                move(case, clerk)
            assert footprint(case) == before, move.__name__
        for by_applicant in (True, False):
            with pytest.raises(CaseError) as exc:
                case_transition(
                    case=case,
                    to=dst,
                    actor=None if by_applicant else clerk,
                    by_applicant=by_applicant,
                    reason="理由",
                )
            assert "不能变更为" in str(exc.value)
        assert footprint(case) == before


# Who makes each move (the lifecycle of DESIGN.md): the applicant withdraws
# before acceptance and resubmits after a correction notice; the clerk makes every
# other move, and may withdraw on the applicant's request.
BY_APPLICANT = {
    ("submitted", "withdrawn"),
    ("correction_requested", "withdrawn"),
    ("correction_requested", "submitted"),
}
BY_CLERK = ALLOWED - {("correction_requested", "submitted")}
# Allowed moves that only one party may make: the other one is refused.
ONE_PARTY = sorted(
    [(src, dst, True) for src, dst in ALLOWED - BY_APPLICANT]
    + [(src, dst, False) for src, dst in ALLOWED - BY_CLERK]
)


def test_the_parties_are_the_lifecycles():
    for src, dst in ALLOWED:
        assert workflow.can_move(src, dst, by_applicant=True) == ((src, dst) in BY_APPLICANT)
        assert workflow.can_move(src, dst, by_applicant=False) == ((src, dst) in BY_CLERK)


@pytest.mark.parametrize(
    ("src", "dst", "by_applicant"),
    ONE_PARTY,
    ids=[f"{s}->{d}-{'applicant' if a else 'clerk'}" for s, d, a in ONE_PARTY],
)
def test_each_move_is_made_by_its_party_only(make_case, src, dst, by_applicant):
    case = make_case(status=src)
    clerk = clerk_of(case.item.department)
    before = footprint(case)
    with pytest.raises(CaseError) as exc:
        case_transition(
            case=case,
            to=dst,
            actor=None if by_applicant else clerk,
            by_applicant=by_applicant,
            reason="理由",
        )
    assert "不能变更为" in str(exc.value)
    assert footprint(case) == before


STAFF_MOVES = sorted((pair for pair, move in MOVES.items() if move not in APPLICANT_MOVES), key=str)


@pytest.mark.parametrize(("src", "dst"), STAFF_MOVES, ids=[f"{s}->{d}" for s, d in STAFF_MOVES])
def test_staff_moves_need_a_clerk_of_the_case(make_case, user_named, src, dst):
    case = make_case(status=src)
    before = footprint(case)
    for outsider in (None, user_named("zrzy_clerk"), user_named("kc_scjg_clerk")):
        with pytest.raises(CaseForbidden):
            MOVES[(src, dst)](case, outsider)
        assert footprint(case) == before


def test_the_applicant_cannot_make_the_clerks_moves(make_case):
    case = make_case(status=CaseStatus.SUBMITTED)
    with pytest.raises(CaseError):
        case_transition(case=case, to=CaseStatus.ACCEPTED, by_applicant=True)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_reason_is_required_for_refusals(make_case, user_named):
    case = make_case(status=CaseStatus.SUBMITTED)
    with pytest.raises(CaseError) as exc:
        case_transition(
            case=case, to=CaseStatus.NOT_ACCEPTED, actor=user_named("scjg_clerk"), reason="  "
        )
    assert "请填写理由" in str(exc.value)


def test_history_is_append_only(make_case):
    case = make_case(status=CaseStatus.SUBMITTED)
    change = StatusChange.objects.filter(case=case).first()
    change.reason = "forged"
    with pytest.raises(TypeError):
        change.save()


def test_acceptance_is_not_the_end_of_a_special_procedure(make_case):
    """The table allows suspended → accepted, but only case_resume makes that move:
    accepting a suspended case would leave its special procedure open."""
    from hall.cases.services import case_accept

    case = make_case(status="suspended")
    before = footprint(case)
    with pytest.raises(CaseError):
        case_accept(case=case, actor=clerk_of(case.item.department))
    assert footprint(case) == before
    assert case.suspensions.filter(ended_on__isnull=True).count() == 1
