"""Reads of the messages with their rules: who takes part in which thread, the
reach of a center, what is unread."""

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from hall.org.models import Center, Department, Staff, Window

from .constants import RIGHT_USE
from .models import Participant, ReadMark, Thread


def _staff(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "staff", None)


def party_q(staff, prefix: str = "") -> Q:
    """The participant rows that make `staff` take part: as themself, through
    their window, through their department."""
    q = Q(**{f"{prefix}staff_id": staff.pk})
    if staff.window_id:
        q |= Q(**{f"{prefix}window_id": staff.window_id})
    if staff.department_id:
        q |= Q(**{f"{prefix}department_id": staff.department_id})
    return q


def threads_of(user):
    """The threads `user` takes part in (none without a staff profile or the right):
    a superuser too reads only their own."""
    staff = _staff(user)
    if staff is None or not user.has_perm(RIGHT_USE):
        return Thread.objects.none()
    return Thread.objects.filter(
        Exists(Participant.objects.filter(party_q(staff), thread=OuterRef("pk")))
    )


def with_unread(qs, user):
    """Each thread with `read_upto` (the user's mark) and `unread` (1 or 0)."""
    mark = ReadMark.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_id")[:1]
    return qs.annotate(read_upto=Coalesce(Subquery(mark), Value(0))).annotate(
        unread=Case(
            When(last_message_id__gt=F("read_upto"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _unread_sql(select: str, tail: str = "") -> str:
    """The threads with a message newer than the user's mark, found from the
    participant indexes (staff, window, department) and the mark's unique key.
    Written out: the ORM's compiling of the same query costs a hundred times
    the query itself, and it runs on every staff page."""
    p = Participant._meta.db_table
    t = Thread._meta.db_table
    r = ReadMark._meta.db_table
    # The names are the models' own; every value is a parameter.
    return (
        f"SELECT {select} FROM {p} p JOIN {t} t ON t.id = p.thread_id "  # noqa: S608
        f"LEFT JOIN {r} r ON r.thread_id = p.thread_id AND r.user_id = %s "
        "WHERE (p.staff_id = %s OR p.window_id = %s OR p.department_id = %s) "
        f"AND t.last_message_id > COALESCE(r.last_read_id, 0){tail}"
    )


def _unread_params(user, staff) -> list:
    return [user.pk, staff.pk, staff.window_id, staff.department_id]


def unread_count(user) -> int:
    """Threads with a message the user has not read: one query; kept on the
    user object for the rest of the request (menu badge and landing panel ask both)."""
    cached = getattr(user, "_messaging_unread", None)
    if cached is not None:
        return cached
    staff = _staff(user)
    count = 0
    if staff is not None and user.has_perm(RIGHT_USE):
        with connection.cursor() as cursor:
            cursor.execute(_unread_sql("COUNT(DISTINCT p.thread_id)"), _unread_params(user, staff))
            count = cursor.fetchone()[0]
    user._messaging_unread = count
    return count


def unread_latest(user, limit: int) -> list:
    """The newest unread threads (id, subject, time of the last message): one query."""
    staff = _staff(user)
    if staff is None or not user.has_perm(RIGHT_USE):
        return []
    sql = _unread_sql(
        "DISTINCT t.id, t.subject, t.last_message_at",
        " ORDER BY t.last_message_at DESC, t.id DESC LIMIT %s",
    )
    return list(Thread.objects.raw(sql, [*_unread_params(user, staff), limit]))


# ---- reach ------------------------------------------------------------------------


def reach_center_ids(center) -> set[int]:
    """The centers a center's staff may write to: itself, the center above it
    and the centers below it. A county reaches the city, never another county."""
    ids = {center.pk}
    if center.parent_id:
        ids.add(center.parent_id)
    ids.update(Center.objects.filter(parent_id=center.pk).values_list("pk", flat=True))
    return ids


def centers_reach_each_other(center_ids) -> bool:
    """Every two centers of a thread are the same, or one directly above the other."""
    parents = dict(Center.objects.filter(pk__in=set(center_ids)).values_list("pk", "parent_id"))
    ids = list(parents)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if parents[a] != b and parents[b] != a:
                return False
    return True


def addressable(user) -> dict:
    """What the user may address: departments, windows and staff of the centers in reach."""
    staff = _staff(user)
    if staff is None:
        return {
            "departments": Department.objects.none(),
            "windows": Window.objects.none(),
            "staff": Staff.objects.none(),
        }
    ids = reach_center_ids(staff.center)
    return {
        "departments": Department.objects.filter(center_id__in=ids, is_active=True)
        .select_related("center")
        .order_by("center__sort_order", "sort_order", "id"),
        "windows": Window.objects.filter(department__center_id__in=ids, is_active=True)
        .select_related("department__center")
        .order_by("department__center__sort_order", "department__sort_order", "number"),
        "staff": Staff.objects.filter(center_id__in=ids, user__is_active=True)
        .exclude(pk=staff.pk)
        .select_related("user", "center", "department", "window")
        .order_by("center__sort_order", "department__sort_order", "user__username"),
    }


# ---- labels -----------------------------------------------------------------------


def center_tag(center) -> str:
    return center.short_name or center.name


def staff_label(staff) -> str:
    name = staff.user.full_name or staff.user.get_username()
    place = staff.department.name if staff.department_id else center_tag(staff.center)
    if staff.window_id:
        return f"{name}（{place} {staff.window.number}号窗口）"
    return f"{name}（{place}）"


def window_label(window) -> str:
    return f"{window.department.name} {window.number}号窗口"


def department_label(department) -> str:
    return department.name
