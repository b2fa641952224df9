"""中心布置工作's sections of the staff landing page and its arrival notices
(registered in apps.py). Each is a couple of indexed queries: the landing page
must stay fast."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hall.workdays.services import current_calendar

from . import selectors
from .constants import RIGHT_STATUS, RIGHT_VIEW


def head_panel(request, **values) -> dict | None:
    """The center head: units past a task's due date without feedback."""
    user = request.user
    if not user.has_perm(RIGHT_STATUS):
        return None
    staff = selectors.staff_of(user)
    if not user.is_superuser and (staff is None or staff.department_id is not None):
        return None
    rows, count = selectors.overdue_recipients(user, timezone.localdate())
    rows = list(rows)
    return {"notices_overdue": rows, "notices_overdue_count": count}


def unit_panel(request, **values) -> dict | None:
    """A recipient unit's staff: unread notices and tasks due soon."""
    user = request.user
    if not user.has_perm(RIGHT_VIEW) or selectors.staff_of(user) is None:
        return None
    today = timezone.localdate()
    unread = list(selectors.unread_for(user))
    due_soon = list(selectors.due_soon_for(user, current_calendar(), today))
    if not unread and not due_soon:
        return None
    return {"notices_unread": unread, "notices_due_soon": due_soon}


def badge(user) -> int:
    return selectors.unread_count(user)


def reminder_notices(user) -> list[str]:
    """On arrival: the unit's tasks the reminder named, while not fed back."""
    if not user.has_perm(RIGHT_VIEW):
        return []
    rows = (
        selectors.own_recipients(user)
        .filter(reminded_at__isnull=False, notice__due_on__gte=timezone.localdate())
        .exclude(status="fed_back")
        .values_list("notice__title", "notice__due_on")
        .order_by("notice__due_on")[:5]
    )
    return [
        _("工作任务“%(title)s”请于 %(due)s 前反馈，本单位尚未反馈。")
        % {"title": title, "due": due.isoformat()}
        for title, due in rows
    ]
