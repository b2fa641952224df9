"""The column's sections of other apps' pages (registered in apps.py)."""

from django.utils import timezone

from hall.workdays.services import current_calendar

from . import selectors
from .constants import HOME_COUNT, RIGHT_VIEW


def home_panel(request) -> dict:
    return {"qa_latest": list(selectors.published()[:HOME_COUNT])}


def supervision_panel(request) -> dict | None:
    """Due-soon and overdue questions per department, in the user's scope."""
    user = request.user
    if not user.has_perm(RIGHT_VIEW):
        return None
    rows = selectors.clock_counts(
        selectors.questions_visible_to(user), current_calendar(), timezone.localdate()
    )
    return {"qa_clock_rows": rows}
