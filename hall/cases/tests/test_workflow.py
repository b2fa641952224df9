"""The transition table: every allowed move works, every other one is refused."""

import pytest

from hall.cases import workflow
from hall.cases.constants import CaseStatus
from hall.cases.models import Case, StatusChange
from hall.cases.services import CaseError, case_transition

pytestmark = pytest.mark.django_db

ALL = list(CaseStatus.values)
PAIRS = [(src, dst) for src in ALL for dst in ALL if src != dst]


@pytest.mark.parametrize(("src", "dst"), PAIRS, ids=[f"{s}->{d}" for s, d in PAIRS])
def test_transition_table(make_case, user_named, src, dst):
    case = make_case(status=src)
    clerk = user_named("scjg_clerk")
    allowed = dst in workflow.ALLOWED_TRANSITIONS[src]
    by_applicant = (src, dst) in workflow.APPLICANT_TRANSITIONS
    history_before = StatusChange.objects.filter(case=case).count()
    reason = "理由" if dst in workflow.REASON_REQUIRED else ""
    if allowed:
        case_transition(
            case=case,
            to=dst,
            actor=None if by_applicant else clerk,
            by_applicant=by_applicant,
            reason=reason,
        )
        case.refresh_from_db()
        assert case.status == dst
        last = StatusChange.objects.filter(case=case).last()
        assert (last.from_status, last.to_status, last.by_applicant) == (src, dst, by_applicant)
        assert StatusChange.objects.filter(case=case).count() == history_before + 1
    else:
        with pytest.raises(CaseError) as exc:
            case_transition(case=case, to=dst, actor=clerk, reason="理由")
        assert "不能变更为" in str(exc.value)
        case.refresh_from_db()
        assert case.status == src
        assert StatusChange.objects.filter(case=case).count() == history_before


def test_applicant_cannot_make_the_clerks_moves(make_case):
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
