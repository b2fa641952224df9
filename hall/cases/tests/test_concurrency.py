"""Two clerks act on the same case at the same moment: one wins, the other
gets a clear message, and the history stays consistent."""

import threading

import pytest
from django.db import connection

from hall.cases.constants import CaseStatus
from hall.cases.models import Case, StatusChange
from hall.cases.services import CaseError, case_transition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _organisation(transactional_db):
    """Transactional tests empty the database afterwards; load the organisation first."""
    from hall.org import demo

    demo.load()


def test_two_clerks_decide_the_same_case_at_once(make_case, user_named):
    case = make_case()
    clerk, other = user_named("scjg_clerk"), user_named("scjg_admin")
    case_transition(case=case, to=CaseStatus.ACCEPTED, actor=clerk)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def act(name, user, to, reason=""):
        try:
            barrier.wait(timeout=10)
            fresh = Case.objects.get(pk=case.pk)
            case_transition(case=fresh, to=to, actor=user, reason=reason)
            results[name] = "ok"
        except CaseError as exc:
            results[name] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("approve", clerk, CaseStatus.APPROVED)),
        threading.Thread(target=act, args=("reject", other, CaseStatus.REJECTED, "不符合条件")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["approve", "reject"]
    outcomes = sorted(results.values(), key=lambda v: v != "ok")
    assert outcomes[0] == "ok"
    assert "不能变更为" in outcomes[1] and "刷新" in outcomes[1]
    case.refresh_from_db()
    decisions = StatusChange.objects.filter(case=case, to_status__in=["approved", "rejected"])
    assert decisions.count() == 1
    assert decisions.get().to_status == case.status
    # the supervision figures count the one decision that was made
    from django.db.models import Sum

    from hall.supervision.models import CaseDayStat

    counted = CaseDayStat.objects.filter(item=case.item_id).aggregate(
        approved=Sum("approved"), rejected=Sum("rejected"), finished=Sum("finished")
    )
    assert counted["finished"] == 1
    assert counted["approved" if case.status == CaseStatus.APPROVED else "rejected"] == 1


def test_clerks_accepting_cases_of_one_item_at_once_are_all_counted(make_case, user_named):
    """Each acceptance adds to the same day row of the item: none is lost."""
    from django.db.models import Sum

    from hall.supervision.models import CaseDayStat, CaseMonthStat

    cases = [make_case() for _ in range(6)]
    clerk = user_named("scjg_clerk")
    barrier = threading.Barrier(len(cases))
    errors = []

    def accept(case):
        try:
            barrier.wait(timeout=10)
            case_transition(case=case, to=CaseStatus.ACCEPTED, actor=clerk)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    item = cases[0].item_id
    for model in (CaseDayStat, CaseMonthStat):
        total = model.objects.filter(item=item).aggregate(n=Sum("accepted"))["n"]
        assert total == len(cases), model
