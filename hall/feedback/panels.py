"""The complaints hall's sections of other apps' pages (registered in apps.py)."""

from django.utils import timezone

from hall.workdays.services import current_calendar

from . import selectors
from .constants import RIGHT_VIEW


def supervision_panel(request) -> dict | None:
    """Open, overdue and escalated complaints in the user's scope, with links."""
    user = request.user
    if not user.has_perm(RIGHT_VIEW):
        return None
    qs = selectors.complaints_visible_to(user)
    today = timezone.localdate()
    calendar = current_calendar()
    figures = selectors.counts(qs, calendar, today)
    staff = getattr(user, "staff", None)
    figures["to_me"] = (
        selectors.escalated_to(qs, calendar, today, staff.center).count() if staff else 0
    )
    return {"complaint_counts": figures}
