"""The public pages of 好差评."""

from django.http import Http404

from . import tokens


def rate_link(request, token: str):
    """The page a signed rating link (SMS, QR) opens."""
    if tokens.read(token) is None:
        raise Http404
    raise Http404  # the rating form of a link comes with the rating pages


# ==== figures: the public 好差评 page (国办发〔2019〕51号 disclosure) ==========
# Everything below this line belongs to the public figures; the rating pages
# above are kept apart.

from urllib.parse import urlencode  # noqa: E402

from django.shortcuts import render  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402

from hall.catalogue.models import ServiceItem  # noqa: E402
from hall.catalogue.search import catalogue_generation  # noqa: E402
from hall.core.forms import parse_id  # noqa: E402
from hall.core.pagecache import cache_public_page  # noqa: E402
from hall.org.models import Center, Department  # noqa: E402

from . import figures  # noqa: E402
from .models import Rating  # noqa: E402

PUBLIC_MONTH_CHOICES = 24


def _month_label(month) -> str:
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


def _public_generation() -> str:
    """The newest rating, the day (a month closes at midnight), the catalogue
    (the names) and figures.public_changed() (the disclosure panel's
    rectifications): a new rating shows at once, a finished case within the
    cache's few minutes."""
    newest = Rating.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return (
        f"{newest}.{timezone.localdate():%Y%m%d}.{catalogue_generation()[:8]}."
        f"{figures.PUBLIC_GENERATION.current()[:8]}"
    )


def _public_pick(raw, model, errors: list, message: str):
    """An object named by a query id: None when absent; a malformed id is
    reported and ignored; a well-formed id of nothing is a 404."""
    if raw in (None, ""):
        return None
    pk = parse_id(raw)
    if pk is None:
        errors.append(message)
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def public_scope(params, today):
    """What the public page (and the stats API) is about: (month, center,
    department, item, errors). Bad values are reported and replaced by the
    defaults; a department or item that does not exist, or an item of another
    department, is a 404."""
    errors: list[str] = []
    default = figures.last_full_month(today)
    raw_month = params.get("month")
    month = figures.parse_month(raw_month) if raw_month not in (None, "") else default
    if month is None or month > figures.this_month(today):
        if month is None:
            errors.append(
                _("月份格式应为“年-月”，如 2026-11（2000 年至 2099 年）。下面显示上一个完整月份。")
            )
        else:
            errors.append(_("所选月份尚未到来，下面显示上一个完整月份。"))
        month = default
    center = _public_pick(params.get("center"), Center, errors, _("中心参数无效，已忽略。"))
    department = _public_pick(
        params.get("department"), Department, errors, _("部门参数无效，已忽略。")
    )
    item = _public_pick(params.get("item"), ServiceItem, errors, _("事项参数无效，已忽略。"))
    if item is not None:
        if department is not None and item.department_id != department.pk:
            raise Http404
        department = item.department
    if department is not None:
        if center is not None and department.center_id != center.pk:
            raise Http404
        center = department.center
    return month, center, department, item, errors


def _month_choices(today, chosen) -> list[dict]:
    """The last 24 months, and the chosen one when it is older."""
    current = figures.this_month(today)
    months = [figures.add_months(current, -n) for n in range(PUBLIC_MONTH_CHOICES)]
    if chosen not in months:
        months.append(chosen)
    return [
        {"value": f"{m:%Y-%m}", "label": _month_label(m), "current": m == current} for m in months
    ]


@require_GET
@cache_public_page(_public_generation)
def public_figures(request):
    """Per month, per department and per item: how many finished cases were
    rated, how satisfied, how many bad ratings (and, through the disclosure
    panel, how each was rectified)."""
    today = timezone.localdate()
    month, center, department, item, errors = public_scope(request.GET, today)
    centers = list(Center.objects.order_by("sort_order", "region_code"))
    if center is None:
        center = next((c for c in centers if c.parent_id is None), None)
    scope = figures.public(center=center, department=department, item=item)
    in_month = scope.filter(month=month)
    if item is not None:
        rows, level = [], "item"
    elif department is not None:
        rows, level = figures.item_rows(in_month), "department"
    else:
        rows, level = figures.department_rows(in_month), "center"
    months = figures.months_between(figures.add_months(month, -(figures.TREND_MONTHS - 1)), month)
    where = {"item": item.pk} if item else {"department": department.pk} if department else {}
    if not where and center is not None:
        where = {"center": center.pk}
    for r in rows:
        if level == "center":
            r["name"], r["extra"] = r["department__name"], ""
            r["href"] = "?" + urlencode(
                {"department": r["department_id"], "month": f"{month:%Y-%m}"}
            )
        else:
            r["name"], r["extra"] = r["item__name"], r["item__code"]
            r["href"] = "?" + urlencode({"item": r["item_id"], "month": f"{month:%Y-%m}"})
    trend = figures.trend(scope, months)
    for r in trend:
        r["name"], r["extra"] = _month_label(r["month"]), ""
        r["href"] = "?" + urlencode({**where, "month": f"{r['month']:%Y-%m}"})
    return render(
        request,
        "ratings/public/figures.html",
        {
            "errors": errors,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "is_current_month": month == figures.this_month(today),
            "months": _month_choices(today, month),
            "centers": centers,
            "center": center,
            "department": department,
            "item": item,
            "level": level,
            "total": figures.total(in_month),
            "rows": rows,
            "trend": trend,
            "where": urlencode(where),
        },
    )


# ==== end of the public figures ==============================================
