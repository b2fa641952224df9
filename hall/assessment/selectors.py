"""Reads of the annual assessment, with their rules: whose schemes a user sees,
which units a scheme scores, the dry run and the frozen result, and the cases
or items behind a figure."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import F, Sum
from django.http import Http404
from django.utils import timezone

from hall.cases.models import Case
from hall.catalogue.models import ServiceItem
from hall.core.permissions import staff_scope, visible_center_ids
from hall.org.models import Center, Department

from . import formulas, scoring
from .constants import WEIGHT_TOTAL, UnitKind
from .models import Adjustment, ExternalScore, Indicator, Scheme

# A dry run's raw figures are kept this long, so that moving between the
# results and a unit's figures does not count a year of cases again.
DRY_RUN_SECONDS = 600


def schemes_visible(user):
    qs = Scheme.objects.select_related("center")
    if user.is_superuser:
        return qs
    staff = staff_scope(user)
    if staff is None or staff.department_id is not None:
        return qs.none()
    return qs.filter(center_id__in=visible_center_ids(user))


def scheme_for(user, pk: int) -> Scheme:
    scheme = schemes_visible(user).filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def manages(user, scheme_center_id: int) -> bool:
    """Only the assessing center's own staff set up, adjust and publish its schemes."""
    if user.is_superuser:
        return True
    staff = staff_scope(user)
    return staff is not None and staff.department_id is None and staff.center_id == scheme_center_id


def centers_that_assess(user):
    """The centers `user` may open a scheme for: their own."""
    if user.is_superuser:
        return Center.objects.all()
    staff = staff_scope(user)
    if staff is None or staff.department_id is not None:
        return Center.objects.none()
    return Center.objects.filter(pk=staff.center_id)


def weight_total(scheme: Scheme) -> Decimal:
    return scheme.indicators.aggregate(t=Sum("weight"))["t"] or Decimal(0)


def is_ready(scheme: Scheme) -> bool:
    return weight_total(scheme) == WEIGHT_TOTAL


# ---- units ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    kind: str
    pk: int
    name: str

    @property
    def key(self) -> str:
        return formulas.unit_key(self.kind, self.pk)


def units_of(scheme: Scheme) -> list[Unit]:
    """The assessing center's active departments, then its county centers."""
    departments = Department.objects.filter(center_id=scheme.center_id, is_active=True)
    centers = Center.objects.filter(parent_id=scheme.center_id)
    return [
        *(Unit(UnitKind.DEPARTMENT, d.pk, d.name) for d in departments),
        *(Unit(UnitKind.CENTER, c.pk, c.name) for c in centers),
    ]


def unit_for(scheme: Scheme, kind: str, pk: int) -> Unit:
    """One unit of the scheme, or 404 (another center's department or county)."""
    if scheme.is_published:
        for row in scheme.snapshot.get("units", []):
            if row["kind"] == kind and row["id"] == pk:
                return Unit(kind, pk, row["name"])
        raise Http404
    for unit in units_of(scheme):
        if unit.kind == kind and unit.pk == pk:
            return unit
    raise Http404


# ---- the result ----------------------------------------------------------------------


def _indicator_rows(scheme: Scheme) -> list[dict]:
    rows = []
    for ind in scheme.indicators.all():
        formula = formulas.FORMULAS.get(ind.formula)
        rows.append(
            {
                "id": ind.pk,
                "name": ind.name,
                "formula": ind.formula,
                "label": str(formula.label) if formula else ind.formula,
                "unit": str(formula.unit) if formula else "",
                "direction": formula.direction if formula else "higher",
                "weight": str(ind.weight),
                "target": str(ind.target),
            }
        )
    return rows


def raw_figures(scheme: Scheme, *, refresh: bool = False) -> tuple[dict, str]:
    """formula → unit key → figure for the scheme's year, and when it was counted."""
    codes = sorted({i.formula for i in scheme.indicators.all() if i.formula in formulas.FORMULAS})
    key = f"assessment:dry:{scheme.pk}:{','.join(codes)}"
    if not refresh:
        found = cache.get(key)
        if found is not None:
            return found
    ctx = formulas.Context.build(scheme.center, scheme.year)
    found = (formulas.compute(ctx, codes), timezone.now().isoformat())
    cache.set(key, found, DRY_RUN_SECONDS)
    return found


def forget_dry_run(scheme: Scheme) -> None:
    codes = sorted({i.formula for i in scheme.indicators.all() if i.formula in formulas.FORMULAS})
    cache.delete(f"assessment:dry:{scheme.pk}:{','.join(codes)}")


def build_result(
    *, indicators: list[dict], units: list[Unit], raw: dict, external: dict, adjustments: list
) -> list[dict]:
    """Every unit's figures, scores and rank (pure: raw figures in, rows out).
    Numbers are strings of two decimals, so the rows can be frozen as JSON."""
    adjusted: dict[str, Decimal] = {}
    for a in adjustments:
        adjusted[a["unit"]] = adjusted.get(a["unit"], Decimal(0)) + Decimal(a["points"])
    rows = []
    for unit in units:
        figures, hall = {}, Decimal(0)
        for ind in indicators:
            figure = dict(raw.get(ind["formula"], {}).get(unit.key) or {})
            value = figure.pop("value", None)
            score = scoring.indicator_score(
                value, weight=ind["weight"], target=ind["target"], direction=ind["direction"]
            )
            hall += score
            figures[str(ind["id"])] = {"value": value, "counts": figure, "score": str(score)}
        ext = external.get(unit.key)
        parts = scoring.annual(
            hall, Decimal(ext) if ext is not None else None, adjusted.get(unit.key, Decimal(0))
        )
        rows.append(
            {
                "key": unit.key,
                "kind": unit.kind,
                "id": unit.pk,
                "name": unit.name,
                "figures": figures,
                "hall": str(scoring.dec(hall)),
                "external": str(ext) if ext is not None else None,
                "adjustment": str(scoring.dec(adjusted.get(unit.key, Decimal(0)))),
                **{k: str(v) for k, v in parts.items()},
            }
        )
    for kind in UnitKind.values:
        scoring.rank([r for r in rows if r["kind"] == kind])
    rows.sort(key=lambda r: (r["kind"] != UnitKind.DEPARTMENT, r["rank"], r["name"]))
    return rows


def _external(scheme: Scheme) -> dict[str, str]:
    return {
        formulas.unit_key(e.unit_kind, e.unit_id): str(e.value)
        for e in ExternalScore.objects.filter(scheme=scheme)
    }


def _adjustments(scheme: Scheme) -> list[dict]:
    return [
        {
            "unit": formulas.unit_key(a.unit_kind, a.unit_id),
            "points": str(a.points),
            "reason": a.reason,
            "by": (a.made_by.full_name or a.made_by.username) if a.made_by else "",
            "at": a.made_at.isoformat(),
        }
        for a in Adjustment.objects.filter(scheme=scheme).select_related("made_by")
    ]


def compute_result(scheme: Scheme, *, refresh: bool = False) -> dict:
    """The dry run: computed from today's data, stored nowhere (but a short cache)."""
    raw, counted_at = raw_figures(scheme, refresh=refresh)
    indicators = _indicator_rows(scheme)
    adjustments = _adjustments(scheme)
    units = units_of(scheme)
    names = {u.key: u.name for u in units}
    for a in adjustments:
        a["unit_name"] = names.get(a["unit"], a["unit"])
    return {
        "year": scheme.year,
        "center": scheme.center.name,
        "computed_at": counted_at,
        "indicators": indicators,
        "units": build_result(
            indicators=indicators,
            units=units,
            raw=raw,
            external=_external(scheme),
            adjustments=adjustments,
        ),
        "adjustments": adjustments,
    }


def result_of(scheme: Scheme, *, refresh: bool = False) -> dict:
    """The published result as frozen, or a dry run of a draft."""
    if scheme.is_published:
        return scheme.snapshot
    return compute_result(scheme, refresh=refresh)


def split(result: dict) -> tuple[list[dict], list[dict]]:
    """The ranking of departments and the ranking of county centers."""
    units = result.get("units", [])
    return (
        [u for u in units if u["kind"] == UnitKind.DEPARTMENT],
        [u for u in units if u["kind"] == UnitKind.CENTER],
    )


def unit_row(result: dict, unit: Unit) -> dict | None:
    return next((u for u in result.get("units", []) if u["key"] == unit.key), None)


# ---- what lies behind a figure -------------------------------------------------------------


def unit_cases(scheme: Scheme, unit: Unit):
    if unit.kind == UnitKind.DEPARTMENT:
        return Case.objects.filter(center_id=scheme.center_id, department_id=unit.pk)
    return Case.objects.filter(center_id__in=Center.objects.get(pk=unit.pk).subtree_ids())


def unit_items(scheme: Scheme, unit: Unit):
    qs = ServiceItem.objects.published()
    if unit.kind == UnitKind.DEPARTMENT:
        return qs.filter(center_id=scheme.center_id, department_id=unit.pk)
    return qs.filter(center_id__in=Center.objects.get(pk=unit.pk).subtree_ids())


def behind(scheme: Scheme, unit: Unit, indicator: Indicator):
    """(what is listed, queryset or list) behind one unit's figure of one indicator:
    the cases that cost points (late, past the second correction round, pre-reviewed
    late) or the items counted. None when the formula has nothing to list."""
    ctx = formulas.Context.build(scheme.center, scheme.year)
    year_cases = unit_cases(scheme, unit)
    code = indicator.formula
    if code == "on_time_rate":
        late = formulas.decided(ctx).filter(pk__in=year_cases.values("pk"))
        late = late.annotate(day=ctx.local_date("decided_at")).filter(day__gt=F("promised_due"))
        return "late_cases", late.select_related("item", "department").order_by("decided_at")
    if code == "online_first_pass":
        qs = year_cases.filter(ctx.in_year("accepted_at"), channel="online")
        qs = qs.filter(round__gt=formulas.FIRST_PASS_ROUNDS)
        return "correction_cases", qs.select_related("item", "department").order_by("accepted_at")
    if code == "prereview_on_time":
        qs = year_cases.filter(ctx.in_year("accepted_at"), channel="online").select_related(
            "item", "department"
        )
        late = []
        for case in qs.order_by("accepted_at").prefetch_related("rounds"):
            submitted = case.submitted_at
            if case.round > 1:
                last = [r for r in case.rounds.all() if r.number == case.round]
                submitted = last[0].submitted_at if last else submitted
            sub = timezone.localtime(submitted).date()
            acc = timezone.localtime(case.accepted_at).date()
            if formulas.prereview_late(ctx.calendar, sub, acc):
                late.append(case)
        return "prereview_cases", late
    if code in ("guide_completeness", "online_items", "online_share"):
        from hall.catalogue.selectors import completeness

        items = unit_items(scheme, unit).prefetch_related("materials", "bases")
        rows = [(item, completeness(item)) for item in items.order_by("code")]
        return "items", rows
    return None, None
