"""The public pages of 好差评: the rating form of every channel (the status
page after the number + phone lookup, the signed link of an SMS or a QR code),
its thank-you page and the recorded rating a used link shows."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hall.catalogue.models import ServiceItem
from hall.catalogue.search import catalogue_generation
from hall.core.forms import parse_id
from hall.core.pagecache import cache_public_page
from hall.org.models import Center, Department

from . import figures, selectors, services, tokens
from .constants import Channel, Kind
from .errors import RatingConflict, RatingError, RatingForbidden, RatingInvalid
from .forms import RatingForm, tag_groups
from .models import Rating

# The ratings this browser just gave: the next view of the page thanks once.
THANKED_KEY = "ratings_thanked"


def _groups(form: RatingForm) -> list[dict]:
    """The tag groups with what the rater ticked kept (in the group of the
    chosen level, or in every group while no level was chosen)."""
    chosen = form.chosen_tags()
    level = form.data.get("level", "") if form.is_bound else ""
    groups = []
    for group in tag_groups():
        in_group = not level or level in {str(n) for n in group["levels"]}
        groups.append(
            {
                **group,
                "tags": [
                    {
                        "code": code,
                        "label": label,
                        "id": f"id_tags_{group['key']}_{code}",
                        "checked": in_group and code in chosen,
                    }
                    for code, label in group["tags"]
                ],
            }
        )
    return groups


def _rate(request, *, case, kind: str, channel: str, page_url: str, back_url: str):
    """The rating page of every channel: the form, the refusal of a staff
    session, why the case cannot be rated yet, or the recorded rating."""
    context = {
        "case": case,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "page_url": page_url,
        "back_url": back_url,
    }
    try:
        # Staff never rate for the applicant, and no form is offered them.
        services.check_rater(request.user)
    except RatingForbidden as exc:
        context["refused"] = str(exc)
        return render(request, "ratings/rate.html", context, status=403)
    given = selectors.ratings_of(case)
    if kind in given:
        rating = given[kind]
        thanked = request.session.get(THANKED_KEY, [])
        context.update(
            rating=rating,
            tag_labels=selectors.tag_labels(rating),
            thanked=rating.pk in thanked,
        )
        if rating.pk in thanked:
            request.session[THANKED_KEY] = [pk for pk in thanked if pk != rating.pk]
        return render(
            request, "ratings/done.html", context, status=200 if request.method == "GET" else 409
        )
    why_not = services.rateable_kind(case, kind)
    if why_not:
        context["closed"] = why_not
        return render(
            request, "ratings/rate.html", context, status=200 if request.method == "GET" else 400
        )
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating = services.rating_submit(
                case=case,
                kind=kind,
                level=data["level"],
                tags=data["tags"],
                comment=data["comment"],
                channel=channel,
                actor=request.user,
                request=request,
            )
        except RatingConflict:
            return redirect(page_url)
        except RatingForbidden as exc:
            context["refused"] = str(exc)
            return render(request, "ratings/rate.html", context, status=403)
        except RatingInvalid as exc:
            form.add_error(exc.field or None, str(exc))
        except RatingError as exc:
            form.add_error(None, str(exc))
        else:
            thanked = request.session.get(THANKED_KEY, [])[-9:]
            request.session[THANKED_KEY] = [*thanked, rating.pk]
            return redirect(page_url)
    context.update(form=form, groups=_groups(form))
    return render(
        request,
        "ratings/rate.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate_case(request, number: str, kind: str):
    """Channel 1: the status page's invitation, proved by the number + phone
    lookup this browser made."""
    case = selectors.case_looked_up(request, number)
    if kind not in Kind.values or not selectors.kind_applies(case, kind):
        raise Http404
    return _rate(
        request,
        case=case,
        kind=kind,
        channel=Channel.WEB,
        page_url=reverse("ratings:rate", args=[case.query_number, kind]),
        back_url=reverse("cases:status", args=[case.query_number]),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate_link(request, token: str):
    """Channels 2 and 3: the signed link of an SMS, or of the QR code on a
    printed notice (`?via=qr`). Forged, expired or inapplicable: the uniform 404."""
    found = tokens.read(token)
    if found is None:
        raise Http404
    case_id, kind = found
    case = selectors.case_of_link(case_id)
    if not selectors.kind_applies(case, kind):
        raise Http404
    via_qr = request.GET.get("via") == "qr"
    page_url = reverse("ratings:link", args=[token]) + ("?via=qr" if via_qr else "")
    return _rate(
        request,
        case=case,
        kind=kind,
        channel=Channel.QR if via_qr else Channel.SMS,
        page_url=page_url,
        back_url=reverse("cases:track") + f"?number={case.display_number}",
    )


# ---- the public 好差评 page (国办发〔2019〕51号 disclosure) ----

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
