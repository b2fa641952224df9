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
