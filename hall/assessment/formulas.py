"""The fixed set of formulas an indicator can use.

Each formula is a pure function of the assessed year's data: given a `Context`
(the assessing center, its units, the year's bounds) it returns, for every unit
that has anything to count, a `Figure` — the value the score is computed from
and the counts it came from (shown in the drill-down and frozen when the year
is published). One call answers every unit with a few grouped queries, so a
year of a million cases is a handful of scans, never a loop over cases.

Cases are read through their default manager only (Case.objects): whatever it
hides (practice cases) never counts. Ratings and complaints are tied to the
cases it yields for the same reason.

A unit is a department of the assessing center ("department:<id>") or one of
its county centers' halls ("center:<id>", everything under that center).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases.constants import CaseStatus, Channel
from hall.cases.models import Case
from hall.catalogue.constants import FilingStatus
from hall.catalogue.models import Filing, ServiceItem
from hall.core import measures
from hall.org.models import Center, Department

from .constants import Direction, UnitKind

# Pre-review is on time when the acceptance came at most this many working
# days after the (last) submission (the applicant is promised 1 working day).
PREREVIEW_DAYS = 1
# Accepted "without a second correction round": at most this many submissions.
FIRST_PASS_ROUNDS = 2
DECIDED = (CaseStatus.APPROVED, CaseStatus.COMPLETED, CaseStatus.REJECTED)


class LocalDate(TruncDate):
    """The local day of a moment. On SQLite, Django's TruncDate calls a Python
    function per row, which over a year of a million cases takes minutes; the
    zone's offset is applied in SQL instead (the hall's zone, Asia/Shanghai,
    keeps no summer time, so one offset holds for the whole year). Other
    databases truncate natively."""

    def __init__(self, expression, offset_minutes: int, **extra):
        self.offset_minutes = offset_minutes
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", (*params, f"{self.offset_minutes:+d} minutes")


def unit_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


@dataclass
class Context:
    center: Center
    year: int
    # department id → unit key, and every center id under a county → its unit key
    departments: dict[int, str]
    centers: dict[int, str]
    _calendar: object = field(default=None, repr=False)

    @classmethod
    def build(cls, center: Center, year: int) -> "Context":
        departments = {
            pk: unit_key(UnitKind.DEPARTMENT, pk)
            for pk in Department.objects.filter(center=center, is_active=True).values_list(
                "pk", flat=True
            )
        }
        centers = {}
        for child in Center.objects.filter(parent=center).only("pk"):
            for pk in child.subtree_ids():
                centers[pk] = unit_key(UnitKind.CENTER, child.pk)
        return cls(center=center, year=year, departments=departments, centers=centers)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(date(self.year, 1, 1), time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(date(self.year + 1, 1, 1), time.min))

    @property
    def center_ids(self) -> list[int]:
        return [self.center.pk, *self.centers]

    def key(self, center_id: int, department_id: int | None) -> str | None:
        if center_id == self.center.pk:
            return self.departments.get(department_id)
        return self.centers.get(center_id)

    def local_date(self, name: str) -> LocalDate:
        offset = self.start.utcoffset()
        return LocalDate(name, int(offset.total_seconds() // 60))

    def in_year(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lt": self.end})

    @property
    def calendar(self):
        if self._calendar is None:
            from hall.workdays.services import current_calendar

            self._calendar = current_calendar()
        return self._calendar

    def cases(self):
        return Case.objects.filter(center_id__in=self.center_ids)


@dataclass(frozen=True)
class Formula:
    code: str
    label: object
    unit: object  # what the value counts: %, 件, 分
    direction: str
    description: object
    compute: Callable[[Context], dict[str, dict]]
    # what the drill-down lists behind the figure: "cases", "items", or ""
    behind: str = ""


FORMULAS: dict[str, Formula] = {}


def register(code, label, unit, description, *, direction=Direction.HIGHER, behind=""):
    def decorator(func):
        FORMULAS[code] = Formula(code, label, unit, direction, description, func, behind)
        return func

    return decorator


def choices() -> list[tuple[str, object]]:
    return [(f.code, f.label) for f in FORMULAS.values()]


def _share(done: int, total: int) -> float | None:
    return round(100 * done / total, 2) if total else None


def _sum_by_unit(ctx: Context, rows, fields: tuple[str, ...]) -> dict[str, dict]:
    """Rows of values(center_id, department_id, *fields) added up per unit."""
    out: dict[str, dict] = defaultdict(lambda: dict.fromkeys(fields, 0))
    for row in rows:
        key = ctx.key(row["center_id"], row["department_id"])
        if key is None:
            continue
        for name in fields:
            out[key][name] += row[name] or 0
    return out


def _shares(counts: dict[str, dict], done: str, total: str) -> dict[str, dict]:
    for figures in counts.values():
        figures["value"] = _share(figures[done], figures[total])
    return dict(counts)


# ---- the published guides -------------------------------------------------------------


def _published_items(ctx: Context):
    return ServiceItem.objects.published().filter(center_id__in=ctx.center_ids)


@register(
    "guide_completeness",
    _("办事指南完整度"),
    _("分"),
    _("本单位已发布事项的办事指南完整度（事项目录的完整度评分，0—100）的平均值。"),
    behind="items",
)
def guide_completeness(ctx: Context) -> dict[str, dict]:
    from hall.catalogue.selectors import completeness

    out: dict[str, dict] = defaultdict(lambda: {"items": 0, "score_sum": 0})
    qs = _published_items(ctx).prefetch_related("materials", "bases")
    for item in qs.only(*_COMPLETENESS_FIELDS):
        key = ctx.key(item.center_id, item.department_id)
        if key is not None:
            out[key]["items"] += 1
            out[key]["score_sum"] += completeness(item).score
    for figures in out.values():
        figures["value"] = round(figures["score_sum"] / figures["items"], 2)
    return dict(out)


_COMPLETENESS_FIELDS = (
    "center",
    "department",
    "legal_basis_text",
    "conditions",
    "procedure",
    "is_free",
    "fee_standard",
    "fee_basis",
    "result_name",
    "place",
    "window",
    "hours",
    "contact_phone",
    "complaint_phone",
)


@register(
    "online_items",
    _("三级以上网办事项数"),
    _("项"),
    _("本单位已发布事项中网上办理深度达到三级（网上提交并预审）及以上的事项数。"),
    behind="items",
)
def online_items(ctx: Context) -> dict[str, dict]:
    rows = (
        _published_items(ctx)
        .values("center_id", "department_id")
        .annotate(items=Count("pk"), online=Count("pk", filter=Q(online_depth__gte=3)))
    )
    counts = _sum_by_unit(ctx, rows, ("items", "online"))
    for figures in counts.values():
        figures["value"] = figures["online"]
    return dict(counts)


@register(
    "online_share",
    _("三级以上网办事项占比"),
    "%",
    _("本单位已发布事项中网上办理深度达到三级及以上的事项所占比例。"),
    behind="items",
)
def online_share(ctx: Context) -> dict[str, dict]:
    counts = online_items(ctx)
    for figures in counts.values():
        figures["value"] = _share(figures["online"], figures["items"])
    return counts


# ---- content changes (备案) ---------------------------------------------------------------


def _filings(ctx: Context):
    rows = (
        Filing.objects.filter(ctx.in_year("changed_at"), center_id__in=ctx.center_ids)
        .values("center_id", "department_id")
        .annotate(
            filings=Count("pk"),
            returned=Count("pk", filter=Q(status=FilingStatus.RETURNED)),
        )
    )
    return _sum_by_unit(ctx, rows, ("filings", "returned"))


@register(
    "filing_timeliness",
    _("内容变更备案合格率"),
    "%",
    _(
        "本年度办事指南内容变更报中心备案后未被退回的比例（变更即时备案，退回表示内容不合格需重改）。"
    ),
)
def filing_timeliness(ctx: Context) -> dict[str, dict]:
    counts = _filings(ctx)
    for figures in counts.values():
        figures["accepted"] = figures["filings"] - figures["returned"]
        figures["value"] = _share(figures["accepted"], figures["filings"])
    return dict(counts)


@register(
    "filings_returned",
    _("备案被退回次数"),
    _("次"),
    _("本年度内容变更备案被中心退回的次数。"),
    direction=Direction.LOWER,
)
def filings_returned(ctx: Context) -> dict[str, dict]:
    counts = _filings(ctx)
    for figures in counts.values():
        figures["value"] = figures["returned"]
    return dict(counts)


# ---- online cases ----------------------------------------------------------------------


def _online_accepted(ctx: Context):
    return ctx.cases().filter(ctx.in_year("accepted_at"), channel=Channel.ONLINE)


@register(
    "online_first_pass",
    _("网办件一次补正内受理率"),
    "%",
    _("本年度受理的网上申报件中，最多补正一次（提交不超过两轮）即受理的比例。"),
    behind="cases",
)
def online_first_pass(ctx: Context) -> dict[str, dict]:
    rows = (
        _online_accepted(ctx)
        .values("center_id", "department_id")
        .annotate(
            accepted=Count("pk"), first_pass=Count("pk", filter=Q(round__lte=FIRST_PASS_ROUNDS))
        )
    )
    return _shares(_sum_by_unit(ctx, rows, ("accepted", "first_pass")), "first_pass", "accepted")


def _prereview_day_pairs(ctx: Context):
    """(center, department, day submitted, day accepted, how many): the last
    submission of a case resubmitted after a correction is its last round's."""
    accepted_day = ctx.local_date("accepted_at")
    first = (
        _online_accepted(ctx)
        .filter(round=1)
        .values("center_id", "department_id")
        .annotate(sub=ctx.local_date("submitted_at"), acc=accepted_day)
        .values("center_id", "department_id", "sub", "acc")
        .annotate(n=Count("pk"))
    )
    later = (
        _online_accepted(ctx)
        .filter(round__gt=1, rounds__number=F("round"))
        .values("center_id", "department_id")
        .annotate(sub=ctx.local_date("rounds__submitted_at"), acc=accepted_day)
        .values("center_id", "department_id", "sub", "acc")
        .annotate(n=Count("pk"))
    )
    yield from first
    yield from later


def prereview_late(calendar, submitted: date, accepted: date) -> bool:
    return calendar.working_days_between(submitted, accepted) > PREREVIEW_DAYS


@register(
    "prereview_on_time",
    _("网办件按时预审率"),
    "%",
    _("本年度受理的网上申报件中，最后一次提交后 1 个工作日内完成预审受理的比例。"),
    behind="cases",
)
def prereview_on_time(ctx: Context) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(lambda: {"accepted": 0, "on_time": 0})
    late_cache: dict[tuple, bool] = {}
    for row in _prereview_day_pairs(ctx):
        key = ctx.key(row["center_id"], row["department_id"])
        if key is None:
            continue
        pair = (row["sub"], row["acc"])
        if pair not in late_cache:
            late_cache[pair] = prereview_late(ctx.calendar, *pair)
        out[key]["accepted"] += row["n"]
        if not late_cache[pair]:
            out[key]["on_time"] += row["n"]
    return _shares(out, "on_time", "accepted")


# ---- decided cases ---------------------------------------------------------------------


def decided(ctx: Context):
    """Cases decided after acceptance in the year, with a promised deadline."""
    return ctx.cases().filter(
        ctx.in_year("decided_at"), status__in=DECIDED, promised_due__isnull=False
    )


@register(
    "on_time_rate",
    _("按时办结率"),
    "%",
    _("本年度作出决定的办件中，在承诺时限内作出决定的比例（与实时监督的口径相同）。"),
    behind="cases",
)
def on_time_rate(ctx: Context) -> dict[str, dict]:
    rows = (
        decided(ctx)
        .annotate(day=ctx.local_date("decided_at"))
        .values("center_id", "department_id")
        .annotate(decided=Count("pk"), on_time=Count("pk", filter=Q(day__lte=F("promised_due"))))
    )
    counts = _sum_by_unit(ctx, rows, ("decided", "on_time"))
    for figures in counts.values():
        figures["late"] = figures["decided"] - figures["on_time"]
    return _shares(counts, "on_time", "decided")


# ---- ratings and complaints --------------------------------------------------------------


@register(
    "satisfaction",
    _("好差评满意率"),
    "%",
    _("本年度收到的好差评中，非常满意、满意和基本满意所占的比例。"),
)
def satisfaction(ctx: Context) -> dict[str, dict]:
    from hall.ratings.constants import SATISFIED_LEVELS
    from hall.ratings.models import Rating

    rows = (
        Rating.objects.filter(
            ctx.in_year("rated_at"),
            center_id__in=ctx.center_ids,
            case__in=Case.objects.values("pk"),
        )
        .values("center_id", "department_id")
        .annotate(
            rated=Count("pk"), satisfied=Count("pk", filter=Q(level__in=list(SATISFIED_LEVELS)))
        )
    )
    return _shares(_sum_by_unit(ctx, rows, ("rated", "satisfied")), "satisfied", "rated")


@register(
    "complaints",
    _("有效投诉件数"),
    _("件"),
    _("本年度收到并受理的投诉件数（不予受理的不计）。"),
    direction=Direction.LOWER,
)
def complaints(ctx: Context) -> dict[str, dict]:
    from hall.feedback.constants import ComplaintStatus
    from hall.feedback.models import Complaint

    rows = (
        Complaint.objects.filter(ctx.in_year("filed_at"), center_id__in=ctx.center_ids)
        .filter(Q(case__isnull=True) | Q(case__in=Case.objects.values("pk")))
        .exclude(status__in=[ComplaintStatus.SUBMITTED, ComplaintStatus.NOT_ACCEPTED])
        .values("center_id", "department_id")
        .annotate(complaints=Count("pk"))
    )
    counts = _sum_by_unit(ctx, rows, ("complaints",))
    for figures in counts.values():
        figures["value"] = figures["complaints"]
    return dict(counts)


# ---- usage (the measures other apps register) ---------------------------------------------


@register(
    "usage",
    _("系统使用率"),
    "%",
    _("本年度各项使用情况指标（如按时提交总结、按时阅读通知）按时完成比例的平均值。"),
)
def usage(ctx: Context) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(lambda: {"measures": {}})
    for measure in measures.all_measures():
        per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in measures.compute(measure.code, start=ctx.start.date(), end=ctx.end.date()):
            key = ctx.key(row.center_id, row.department_id)
            if key is not None:
                per_unit[key][0] += row.done
                per_unit[key][1] += row.total
        for key, (done, total) in per_unit.items():
            if total:
                out[key]["measures"][measure.code] = {
                    "label": str(measure.label),
                    "done": done,
                    "total": total,
                    "share": _share(done, total),
                }
    for figures in out.values():
        shares = [m["share"] for m in figures["measures"].values()]
        figures["value"] = round(sum(shares) / len(shares), 2) if shares else None
    return dict(out)


def compute(ctx: Context, codes) -> dict[str, dict[str, dict]]:
    """formula code → unit key → figure, each formula computed once."""
    return {code: FORMULAS[code].compute(ctx) for code in dict.fromkeys(codes)}
