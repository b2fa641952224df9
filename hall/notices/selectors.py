"""Reads of 中心布置工作, with the organisation's rules.

Who a recipient unit's staff are: a department's, everyone of the department
(its windows' clerks too); a window's, the clerks of that window; a county
center's, its center-level staff (no department)."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hall.core.permissions import scoped
from hall.org.models import Center, Department, Window

from . import deadlines
from .constants import PANEL_LIMIT, Kind, ReceiptStatus, UnitKind
from .models import Notice, Recipient


def staff_of(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "staff", None)


def unit_q(staff) -> Q | None:
    """The recipients `staff` answers for (reads and feeds back as); None: none."""
    if staff is None:
        return None
    if staff.department_id is None:
        return Q(unit_kind=UnitKind.CENTER, center_id=staff.center_id)
    q = Q(unit_kind=UnitKind.DEPARTMENT, department_id=staff.department_id)
    if staff.window_id is not None:
        q |= Q(unit_kind=UnitKind.WINDOW, window_id=staff.window_id)
    return q


def own_recipients(user) -> QuerySet:
    q = unit_q(staff_of(user))
    return Recipient.objects.filter(q) if q is not None else Recipient.objects.none()


def feedback_recipients(user) -> QuerySet:
    """The rows `user` may feed back for: their unit's; a superuser's, any."""
    if user.is_superuser:
        return Recipient.objects.all()
    return own_recipients(user)


def recipients_visible_to(user) -> QuerySet:
    """A department's staff see its own and its windows' rows; a center's, the
    rows of its units (the city's, its counties' too) and of itself."""
    return scoped(Recipient.objects.all(), user)


def notices_visible_to(user) -> QuerySet:
    """The notices a user may open: addressed to a unit they see, or sent by a
    center they see."""
    if user.is_superuser:
        return Notice.objects.all()
    staff = staff_of(user)
    if staff is None:
        return Notice.objects.none()
    addressed = Q(pk__in=recipients_visible_to(user).values("notice_id"))
    if staff.department_id is not None:
        return Notice.objects.filter(addressed)
    return Notice.objects.filter(addressed | Q(center_id__in=staff.visible_center_ids()))


def notices_sent_visible_to(user) -> QuerySet:
    """The notices whose status table a user may see: sent by a center they see."""
    if user.is_superuser:
        return Notice.objects.all()
    staff = staff_of(user)
    if staff is None or staff.department_id is not None:
        return Notice.objects.none()
    return Notice.objects.filter(center_id__in=staff.visible_center_ids())


def inbox(user) -> QuerySet:
    """The user's unit's notices and tasks: unread first, then the newest."""
    return (
        own_recipients(user)
        .select_related("notice", "notice__center", "department", "window", "center")
        .annotate(unread_first=Count("id", filter=Q(status=ReceiptStatus.UNREAD)))
        .order_by("-unread_first", "-notice__sent_at", "-id")
    )


def unread_count(user) -> int:
    """The menu badge: one COUNT over the indexed rows of the user's unit."""
    if not getattr(user, "is_authenticated", False):
        return 0
    # a clerk answers for their window and their department: a notice sent to
    # both is one notice to read (opening it marks both), so notices are counted
    return (
        own_recipients(user)
        .filter(status=ReceiptStatus.UNREAD)
        .values("notice_id")
        .distinct()
        .count()
    )


# ---- who may be addressed ------------------------------------------------------------


def reach(center: Center) -> dict[str, QuerySet]:
    """The units `center` may send to: its own active departments and their
    windows; the city center also its county centers (never their departments)."""
    return {
        "departments": Department.objects.filter(center=center, is_active=True).order_by(
            "sort_order", "id"
        ),
        "windows": Window.objects.filter(
            department__center=center, department__is_active=True, is_active=True
        )
        .select_related("department")
        .order_by("department__sort_order", "department_id", "number"),
        "centers": Center.objects.filter(parent=center).order_by("sort_order", "region_code"),
    }


# ---- the status table -------------------------------------------------------------------


def overdue_q(today: date) -> Q:
    return Q(notice__kind=Kind.TASK, notice__due_on__lt=today) & ~Q(status=ReceiptStatus.FED_BACK)


def status_rows(notice: Notice, today: date) -> tuple[list[Recipient], dict[str, int]]:
    """Every recipient with its standing (one of constants.Standing) and the counts."""
    rows = list(
        notice.recipients.select_related("department", "window", "center", "read_by")
        .select_related("feedback", "feedback__by")
        .order_by("unit_kind", "department__sort_order", "window__number", "center__sort_order")
    )
    counts = {"unread": 0, "read": 0, "on_time": 0, "late_feedback": 0, "overdue": 0}
    for r in rows:
        fed_back_on = timezone.localdate(r.fed_back_at) if r.fed_back_at else None
        r.standing = deadlines.standing(
            kind=notice.kind,
            status=r.status,
            due_on=notice.due_on,
            fed_back_on=fed_back_on,
            today=today,
        )
        counts[r.standing] += 1
    counts["total"] = len(rows)
    counts["fed_back"] = counts["on_time"] + counts["late_feedback"]
    # Opened at least once, whatever happened next (an overdue unit may have read it).
    counts["opened"] = sum(1 for r in rows if r.read_at is not None)
    return rows, counts


def sent_list(qs: QuerySet, today: date) -> QuerySet:
    """Sent notices with their counts per standing, computed in the database."""
    fed = Q(recipients__status=ReceiptStatus.FED_BACK)
    return qs.select_related("center").annotate(
        n_total=Count("recipients"),
        n_read=Count("recipients", filter=~Q(recipients__status=ReceiptStatus.UNREAD)),
        n_fed_back=Count("recipients", filter=fed),
        n_overdue=Count(
            "recipients",
            filter=Q(kind=Kind.TASK, due_on__lt=today) & ~fed,
        ),
    )


# ---- the landing page's sections ------------------------------------------------------


def overdue_recipients(user, today: date, limit: int = PANEL_LIMIT):
    """Units past a task's due date without feedback, of the tasks the user's
    centers sent: the oldest due first."""
    qs = (
        Recipient.objects.filter(
            notice__in=notices_sent_visible_to(user).filter(kind=Kind.TASK, due_on__lt=today)
        )
        .exclude(status=ReceiptStatus.FED_BACK)
        .select_related("notice", "department", "window", "center")
        .order_by("notice__due_on", "notice_id", "id")
    )
    return qs[:limit], qs.count()


def unread_for(user, limit: int = PANEL_LIMIT):
    """The unread notices, each once (sent to the window and its department too)."""
    unread = own_recipients(user).filter(status=ReceiptStatus.UNREAD)
    return Notice.objects.filter(pk__in=unread.values("notice_id")).order_by("-sent_at", "-id")[
        :limit
    ]


def due_soon_for(user, calendar, today: date, limit: int = PANEL_LIMIT):
    until = deadlines.due_soon_until(calendar, today)
    open_rows = own_recipients(user).exclude(status=ReceiptStatus.FED_BACK)
    return Notice.objects.filter(
        pk__in=open_rows.values("notice_id"),
        kind=Kind.TASK,
        due_on__gte=today,
        due_on__lte=until,
    ).order_by("due_on", "id")[:limit]
