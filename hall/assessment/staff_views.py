"""The staff pages of the annual assessment (年度考核). Thin: read through the
selectors, write through one service; a refused write shows its message on
the page it came from (status 400) and changes nothing."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.core.permissions import staff_required

from . import formulas, selectors, services
from .constants import BEHIND_PAGE, RIGHT_PUBLISH, RIGHT_RUN, RIGHT_VIEW, WEIGHT_TOTAL, UnitKind
from .errors import AssessmentError, AssessmentForbidden
from .forms import AdjustmentForm, ExternalForm, ImportForm, IndicatorForm, SchemeForm
from .models import Adjustment, ExternalScore


def _can(request, scheme, right) -> bool:
    return (
        request.user.has_perm(right)
        and selectors.manages(request.user, scheme.center_id)
        and not scheme.is_published
    )


def _indicator(scheme, pk):
    found = scheme.indicators.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _unit(scheme, kind, pk):
    if kind not in UnitKind.values:
        raise Http404
    return selectors.unit_for(scheme, kind, pk)


# ---- the list of schemes -------------------------------------------------------------


def _list_page(request, *, form=None, error=None, status=200):
    centers = (
        list(selectors.centers_that_assess(request.user))
        if request.user.has_perm(RIGHT_RUN)
        else []
    )
    return render(
        request,
        "assessment/staff/list.html",
        {
            "schemes": selectors.schemes_visible(request.user),
            "form": form or SchemeForm(),
            "can_create": bool(centers),
            "error": error,
        },
        status=status,
    )


@staff_required(RIGHT_VIEW)
@require_GET
def scheme_list(request):
    return _list_page(request)


@staff_required(RIGHT_RUN)
@require_POST
def scheme_create(request):
    form = SchemeForm(request.POST)
    center = selectors.centers_that_assess(request.user).first()
    if center is None:
        raise Http404
    if request.user.is_superuser:
        center = selectors.centers_that_assess(request.user).filter(parent__isnull=True).first()
    try:
        if not form.is_valid():
            raise AssessmentError(_("请填写考核年度。"))
        scheme = services.scheme_create(
            actor=request.user, center=center, year=form.cleaned_data["year"]
        )
    except AssessmentForbidden:
        raise Http404 from None
    except AssessmentError as e:
        return _list_page(request, form=form, error=str(e), status=400)
    messages.success(
        request, _("已新建 %(year)s 年度考核方案，请设置考核指标。") % {"year": scheme.year}
    )
    return redirect("assessment:scheme", pk=scheme.pk)


# ---- a scheme: its indicators ---------------------------------------------------------


def _scheme_page(request, scheme, *, form=None, error=None, status=200):
    indicators = list(scheme.indicators.all())
    total = sum((i.weight for i in indicators), 0)
    return render(
        request,
        "assessment/staff/scheme.html",
        {
            "scheme": scheme,
            "indicators": [(i, formulas.FORMULAS.get(i.formula)) for i in indicators],
            "total": total,
            "complete": total == WEIGHT_TOTAL,
            "left": WEIGHT_TOTAL - total,
            "form": form or IndicatorForm(),
            "can_run": _can(request, scheme, RIGHT_RUN),
            "formulas": formulas.FORMULAS.values(),
            "error": error,
        },
        status=status,
    )


@staff_required(RIGHT_VIEW)
@require_GET
def scheme_detail(request, pk):
    return _scheme_page(request, selectors.scheme_for(request.user, pk))


def _indicator_values(form):
    form.is_valid()
    data = form.cleaned_data
    return {k: data.get(k, "") for k in ("name", "formula", "weight", "target")}


@staff_required(RIGHT_RUN)
@require_POST
def indicator_add(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    form = IndicatorForm(request.POST)
    try:
        services.indicator_add(actor=request.user, scheme=scheme, **_indicator_values(form))
    except AssessmentForbidden:
        raise Http404 from None
    except AssessmentError as e:
        return _scheme_page(request, scheme, form=form, error=str(e), status=400)
    messages.success(request, _("已新增考核指标。"))
    return redirect("assessment:scheme", pk=scheme.pk)


@staff_required(RIGHT_RUN)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk, indicator):
    scheme = selectors.scheme_for(request.user, pk)
    found = _indicator(scheme, indicator)
    if not selectors.manages(request.user, scheme.center_id):
        raise Http404
    error, status = None, 200
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        try:
            services.indicator_change(
                actor=request.user, indicator=found, **_indicator_values(form)
            )
        except AssessmentForbidden:
            raise Http404 from None
        except AssessmentError as e:
            error, status = str(e), 400
        else:
            messages.success(request, _("已保存考核指标。"))
            return redirect("assessment:scheme", pk=scheme.pk)
    else:
        form = IndicatorForm(
            initial={
                "name": found.name,
                "formula": found.formula,
                "weight": found.weight,
                "target": found.target,
            }
        )
    return render(
        request,
        "assessment/staff/indicator.html",
        {
            "scheme": scheme,
            "indicator": found,
            "form": form,
            "error": error,
            "formulas": formulas.FORMULAS.values(),
        },
        status=status,
    )


@staff_required(RIGHT_RUN)
@require_POST
def indicator_delete(request, pk, indicator):
    scheme = selectors.scheme_for(request.user, pk)
    found = _indicator(scheme, indicator)
    try:
        services.indicator_delete(actor=request.user, indicator=found)
    except AssessmentForbidden:
        raise Http404 from None
    except AssessmentError as e:
        return _scheme_page(request, scheme, error=str(e), status=400)
    messages.success(request, _("已删除考核指标。"))
    return redirect("assessment:scheme", pk=scheme.pk)


# ---- the result: dry run or published -----------------------------------------------------


def _results_context(request, scheme, *, refresh=False):
    result = selectors.result_of(scheme, refresh=refresh)
    departments, centers = selectors.split(result)
    return {
        "scheme": scheme,
        "result": result,
        "departments": departments,
        "centers": centers,
        "ready": scheme.is_published or selectors.is_ready(scheme),
        "can_publish": _can(request, scheme, RIGHT_PUBLISH),
        "can_run": _can(request, scheme, RIGHT_RUN),
    }


@staff_required(RIGHT_VIEW)
@require_GET
def results(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    context = _results_context(request, scheme, refresh=request.GET.get("refresh") == "1")
    return render(request, "assessment/staff/results.html", context)


@staff_required(RIGHT_PUBLISH)
@require_POST
def publish(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    try:
        services.scheme_publish(actor=request.user, scheme=scheme)
    except AssessmentForbidden:
        raise Http404 from None
    except AssessmentError as e:
        context = _results_context(request, scheme)
        context["error"] = str(e)
        return render(request, "assessment/staff/results.html", context, status=400)
    messages.success(request, _("%(year)s 年度考核已发布，结果已固定。") % {"year": scheme.year})
    return redirect("assessment:results", pk=scheme.pk)


@staff_required(RIGHT_VIEW)
@require_GET
def report(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    return render(request, "assessment/staff/report.html", _results_context(request, scheme))


@staff_required(RIGHT_VIEW)
@require_GET
def export(request, pk):
    from hall.supervision.constants import XLSX_CONTENT_TYPE
    from hall.supervision.exports import stream_workbook

    scheme = selectors.scheme_for(request.user, pk)
    result = selectors.result_of(scheme)
    indicators = result["indicators"]
    header = [_("排名"), _("考核对象类型"), _("考核对象")]
    for ind in indicators:
        header += [f"{ind['name']}（{_('实际值')}）", f"{ind['name']}（{_('得分')}）"]
    header += [
        _("大厅考核得分"),
        _("大厅部分（20%）"),
        _("其他考核得分"),
        _("其他部分（80%）"),
        _("调整"),
        _("年度得分"),
    ]

    def number(value):
        return None if value is None else float(value)

    def rows():
        for unit in result["units"]:
            row = [unit["rank"], str(UnitKind(unit["kind"]).label), unit["name"]]
            for ind in indicators:
                figure = unit["figures"].get(str(ind["id"]), {})
                row += [number(figure.get("value")), number(figure.get("score"))]
            row += [
                number(unit["hall"]),
                number(unit["hall_part"]),
                number(unit["external"]),
                number(unit["external_part"]),
                number(unit["adjustment"]),
                number(unit["total"]),
            ]
            yield row

    response = StreamingHttpResponse(
        stream_workbook(_("年度考核"), header, rows()), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-{scheme.year}.xlsx"'
    return response


@staff_required(RIGHT_RUN)
@require_POST
def external_import(request, pk):
    from hall.catalogue.excel.reading import FileProblem, read_workbook

    scheme = selectors.scheme_for(request.user, pk)
    if not selectors.manages(request.user, scheme.center_id):
        raise Http404  # before the file is read: not this center's to import into
    form = ImportForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise AssessmentError("；".join(e for errors in form.errors.values() for e in errors))
        try:
            (header, rows), _second = read_workbook(
                form.cleaned_data["file"], main=_("其他考核得分"), second="-"
            )
        except FileProblem as e:
            raise AssessmentError(str(e)) from None
        names = [str(h or "").strip() for h in header]
        if _("考核对象") not in names or _("其他考核得分") not in names:
            raise AssessmentError(_("表格应有“考核对象”和“其他考核得分”两列。"))
        name_at, value_at = names.index(_("考核对象")), names.index(_("其他考核得分"))
        values = [
            (
                cells[name_at] if len(cells) > name_at else "",
                cells[value_at] if len(cells) > value_at else "",
            )
            for _line, cells in rows
        ]
        count = services.external_import(actor=request.user, scheme=scheme, rows=values)
    except AssessmentForbidden:
        raise Http404 from None
    except AssessmentError as e:
        context = _results_context(request, scheme)
        context["error"] = str(e)
        return render(request, "assessment/staff/results.html", context, status=400)
    messages.success(request, _("已导入 %(n)s 个单位的其他考核得分。") % {"n": count})
    return redirect("assessment:results", pk=scheme.pk)


# ---- one unit: its figures, external figure and adjustments ---------------------------------


def _unit_page(
    request, scheme, unit, *, external_form=None, adjust_form=None, error=None, status=200
):
    result = selectors.result_of(scheme)
    row = selectors.unit_row(result, unit)
    lines = []
    for ind in result["indicators"]:
        formula = formulas.FORMULAS.get(ind["formula"])
        figure = (row or {}).get("figures", {}).get(str(ind["id"]), {})
        lines.append(
            {"indicator": ind, "figure": figure, "behind": bool(formula and formula.behind)}
        )
    if scheme.is_published:
        adjustments = [a for a in result.get("adjustments", []) if a["unit"] == unit.key]
    else:
        adjustments = [
            {
                "points": str(a.points),
                "reason": a.reason,
                "by": (a.made_by.full_name or a.made_by.username) if a.made_by else "",
                "at": a.made_at,
            }
            for a in Adjustment.objects.filter(
                scheme=scheme, unit_kind=unit.kind, unit_id=unit.pk
            ).select_related("made_by")
        ]
    current = ExternalScore.objects.filter(
        scheme=scheme, unit_kind=unit.kind, unit_id=unit.pk
    ).first()
    return render(
        request,
        "assessment/staff/unit.html",
        {
            "scheme": scheme,
            "unit": unit,
            "row": row,
            "lines": lines,
            "adjustments": adjustments,
            "external_form": external_form
            or ExternalForm(initial={"value": current.value if current else ""}),
            "adjust_form": adjust_form or AdjustmentForm(),
            "can_run": _can(request, scheme, RIGHT_RUN),
            "error": error,
            "computed_at": result.get("computed_at"),
        },
        status=status,
    )


@staff_required(RIGHT_VIEW)
@require_GET
def unit_detail(request, pk, kind, unit):
    scheme = selectors.scheme_for(request.user, pk)
    return _unit_page(request, scheme, _unit(scheme, kind, unit))


@staff_required(RIGHT_RUN)
@require_POST
def external_set(request, pk, kind, unit):
    scheme = selectors.scheme_for(request.user, pk)
    found = _unit(scheme, kind, unit)
    form = ExternalForm(request.POST)
    form.is_valid()
    try:
        services.external_set(
            actor=request.user, scheme=scheme, unit=found, value=form.cleaned_data.get("value", "")
        )
    except AssessmentForbidden:
        raise Http404 from None
    except AssessmentError as e:
        return _unit_page(request, scheme, found, external_form=form, error=str(e), status=400)
    messages.success(request, _("已录入 %(unit)s 的其他考核得分。") % {"unit": found.name})
    return redirect("assessment:unit", pk=scheme.pk, kind=found.kind, unit=found.pk)


@staff_required(RIGHT_RUN)
@require_POST
def adjust(request, pk, kind, unit):
    scheme = selectors.scheme_for(request.user, pk)
    found = _unit(scheme, kind, unit)
    form = AdjustmentForm(request.POST)
    form.is_valid()
    try:
        services.adjustment_add(
            actor=request.user,
            scheme=scheme,
            unit=found,
            points=form.cleaned_data.get("points", ""),
            reason=form.cleaned_data.get("reason", ""),
        )
    except AssessmentForbidden:
        raise Http404 from None
    except AssessmentError as e:
        return _unit_page(request, scheme, found, adjust_form=form, error=str(e), status=400)
    messages.success(request, _("已调整 %(unit)s 的年度得分。") % {"unit": found.name})
    return redirect("assessment:unit", pk=scheme.pk, kind=found.kind, unit=found.pk)


@staff_required(RIGHT_VIEW)
@require_GET
def behind(request, pk, kind, unit, indicator):
    scheme = selectors.scheme_for(request.user, pk)
    found = _unit(scheme, kind, unit)
    ind = _indicator(scheme, indicator)
    what, rows = selectors.behind(scheme, found, ind)
    if what is None:
        raise Http404
    page = Paginator(rows, BEHIND_PAGE).get_page(request.GET.get("page"))
    result = selectors.result_of(scheme)
    row = selectors.unit_row(result, found) or {}
    return render(
        request,
        "assessment/staff/behind.html",
        {
            "scheme": scheme,
            "unit": found,
            "indicator": ind,
            "formula": formulas.FORMULAS.get(ind.formula),
            "figure": row.get("figures", {}).get(str(ind.pk), {}),
            "what": what,
            "page": page,
            "back": reverse(
                "assessment:unit", kwargs={"pk": scheme.pk, "kind": found.kind, "unit": found.pk}
            ),
        },
    )
