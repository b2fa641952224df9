"""Due soon and overdue are one rule: the clerk's queue tabs, the supervision
dashboard and the staff digest e-mail list the same cases on the same day."""

from datetime import date

import pytest
from django.urls import reverse

from hall.cases.constants import CaseStatus
from hall.notifications.models import Notification
from hall.notifications.services import digest_enqueue

from .conftest import TODAY, accept_on, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def edges(scenario, make_case, user_named):
    """Besides the scenario's cases: one due today, one a working day past the window."""
    clerk = user_named("scjg_clerk")
    scenario["due_today"] = accept_on(make_case(), clerk, (2032, 2, 26))  # promised Thu 4 Mar
    scenario["just_after"] = accept_on(make_case(), clerk, (2032, 3, 2))  # promised Tue 9 Mar
    assert scenario["due_today"].promised_due == date(2032, 3, 4)
    assert scenario["just_after"].promised_due == date(2032, 3, 9)
    return scenario


def test_the_queue_the_dashboard_and_the_digest_agree(edges, login_as, user_named, city_scjg):
    expected = {
        "due_soon": {edges["due_soon"].pk, edges["due_today"].pk},
        "overdue": {edges["overdue"].pk},
    }
    clerk = user_named("scjg_clerk")
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    with at(*TODAY):
        browser = login_as("scjg_clerk")
        queue = {
            tab: {c.pk for c in browser.get(reverse("cases:queue"), {"tab": tab}).context["page"]}
            for tab in expected
        }
        dashboard = login_as("city_supervisor").get(
            reverse("supervision:dashboard"), {"department": city_scjg.pk}
        )
        Notification.objects.all().delete()
        digest_enqueue(day=date(*TODAY))
    assert queue == expected
    assert {tab: {c.pk for c in dashboard.context[tab]} for tab in expected} == expected
    live = dashboard.context["live"]
    assert (live["due_soon"], live["overdue"]) == (2, 1)
    digest = Notification.objects.get(event="digest", user=clerk)
    assert "超期 1 件，临期 2 件" in digest.subject
    soon_part = digest.text.split("临期办件")[1]
    for key in ("due_soon", "due_today"):
        assert edges[key].display_number in soon_part
    for key in ("just_after", "running", "suspended", "submitted"):
        assert edges[key].display_number not in digest.text
    assert edges["suspended"].status == CaseStatus.SUSPENDED
