"""差评整改's sections of other apps' pages (registered in apps.py)."""

from datetime import date

from django.utils import timezone

from hall.core.forms import parse_id
from hall.qa.masking import mask
from hall.ratings.constants import BAD_LEVELS, TAG_LABELS, Kind
from hall.ratings.models import Rating

from . import selectors
from .constants import DISCLOSURE_COUNT, RIGHT_VIEW


def supervision_panel(request, **values) -> dict | None:
    """Open and overdue tasks per department, in the user's scope."""
    user = request.user
    if not user.has_perm(RIGHT_VIEW):
        return None
    rows = selectors.department_counts(selectors.tasks_visible_to(user), timezone.localdate())
    return {"rectification_rows": rows}


def _id(value) -> int | None:
    if value is None or value == "":
        return None
    pk = getattr(value, "pk", None)
    return pk if pk is not None else parse_id(value)


def _month(value) -> date:
    """The first day of the month `value` names (a date, "2026-11" or "2026-11-01");
    this month when it names none."""
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    try:
        year, month = int(text[:4]), int(text[5:7])
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def disclosure_rows(*, center=None, department=None, item=None, month=None) -> list[dict]:
    """The month's bad ratings with their rectification, anonymised: no names,
    phones or query numbers; what the applicant and the department wrote is
    masked again (ID numbers, phones, the applicant's name)."""
    qs = Rating.objects.filter(kind=Kind.FINISHED, level__in=BAD_LEVELS, month=_month(month))
    for field, value in (("center_id", center), ("department_id", department), ("item_id", item)):
        pk = _id(value)
        if pk is not None:
            qs = qs.filter(**{field: pk})
    qs = qs.select_related("department", "item", "case", "rectification").order_by(
        "-rated_at", "-id"
    )
    rows = []
    for rating in qs[:DISCLOSURE_COUNT]:
        names = [rating.case.applicant_name]
        task = getattr(rating, "rectification", None)
        rows.append(
            {
                "rated_on": timezone.localdate(rating.rated_at),
                "department": rating.department.name,
                "item": rating.item.name,
                "level": rating.get_level_display(),
                "tags": [str(TAG_LABELS.get(t, t)) for t in rating.tags],
                "comment": mask(rating.comment, names=names),
                "status": task.get_status_display() if task else "",
                "rectification": mask(task.rectification, names=names) if task else "",
                "appeal_upheld": bool(task and task.status == "upheld"),
            }
        )
    return rows


def disclosure_panel(request, **values) -> dict:
    return {
        "rectification_disclosure": disclosure_rows(
            center=values.get("center"),
            department=values.get("department"),
            item=values.get("item"),
            month=values.get("month"),
        )
    }
