"""Reads with rules: who may see which case."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from hall.core.permissions import scoped

from . import querynumbers
from .constants import DUE_SOON_DAYS, CaseStatus
from .models import Case, CaseFile, ReviewMessage


def cases_visible_to(user) -> QuerySet[Case]:
    """A department's staff see its cases; center staff their centers'."""
    return scoped(Case.objects.select_related("item", "department", "center"), user)


def case_detail(qs: QuerySet[Case], pk) -> Case | None:
    return (
        qs.prefetch_related(
            "history__actor",
            "rounds",
            Prefetch(
                "files", queryset=CaseFile.objects.order_by("material_name", "uploaded_at", "id")
            ),
            Prefetch(
                "messages",
                queryset=ReviewMessage.objects.prefetch_related("points").select_related("author"),
            ),
        )
        .filter(pk=pk)
        .order_by("pk")
        .first()
    )


def _digits(given: str) -> str:
    return "".join(ch for ch in (given or "") if ch.isdigit())


def is_whole_phone(given: str) -> bool:
    """Whether more than the last four digits were given."""
    return len(_digits(given)) > 4


def phone_matches(case: Case, given: str, *, whole: bool = False) -> bool:
    given = _digits(given)
    if given == case.phone:
        return True
    return not whole and len(given) == 4 and given == case.phone[-4:]


def case_for_applicant(number: str, phone: str, *, whole_phone: bool = False) -> Case | None:
    """The case if both the query number and the phone (or its last four digits,
    unless `whole_phone`) match; None otherwise — the caller must not say which
    of the two was wrong."""
    number = querynumbers.normalise(number)
    if not querynumbers.is_valid(number):
        return None
    # get(), not first(): first() orders by the default ordering, which lets the
    # database walk the submitted_at index instead of the unique one.
    try:
        case = Case.all_objects.select_related("item", "department", "center").get(
            query_number=number, practice_of=None
        )
    except Case.DoesNotExist:
        return None
    return case if phone_matches(case, phone, whole=whole_phone) else None


def public_timeline(case: Case) -> list:
    return list(case.history.all())


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's correspondence and history, for the staff page."""

    at: object
    seq: tuple
    kind: str  # "message", "remarks" or "status"
    obj: object


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Messages, the applicant's remarks and status changes in one time order.

    Ties (the same instant) keep the order things are written in: a round's remarks,
    then the status change, then the message a move sends with it; each kind by its id."""
    entries = [
        TimelineEntry(r.submitted_at, (0, r.number), "remarks", r)
        for r in case.rounds.all()
        if r.remarks
    ]
    entries += [TimelineEntry(m.created_at, (2, m.pk), "message", m) for m in case.messages.all()]
    entries += [TimelineEntry(h.at, (1, h.pk), "status", h) for h in case.history.all()]
    return sorted(entries, key=lambda e: (e.at, e.seq))


# Keys a walk-in case keeps in its form data: the materials checklist of the window.
WALK_IN_KEYS = ("received_materials", "originals_checked")


def _readable(field, value) -> str:
    from django.utils.translation import gettext as _

    from hall.catalogue.constants import FieldKind

    if value in (None, "", [], {}):
        return "—"
    if field is not None and field.kind == FieldKind.BOOLEAN or isinstance(value, bool):
        return str(_("是")) if value in (True, "true", "True", "1", 1) else str(_("否"))
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, v in value.items())
    return str(value)


def case_form_rows(case: Case) -> list[tuple[str, str]]:
    """The application form as (label, readable value), in the item's field order;
    values under a key the item no longer has keep their key as the label."""
    data = dict(case.form_data or {})
    rows = []
    for field in case.item.form_fields.all():
        if field.key in data:
            rows.append((field.label, _readable(field, data.pop(field.key))))
    for key in WALK_IN_KEYS:
        data.pop(key, None)
    rows += [(key, _readable(None, value)) for key, value in data.items()]
    return rows


def case_material_checklist(case: Case) -> list[dict] | None:
    """For a walk-in case: every material of the item, received or not, original
    checked or not. None for a case without the window's checklist."""
    data = case.form_data or {}
    if not any(key in data for key in WALK_IN_KEYS):
        return None
    received = set(data.get("received_materials") or [])
    originals = set(data.get("originals_checked") or [])
    names = [m.name for m in case.item.materials.order_by("sort_order", "id")]
    names += sorted((received | originals) - set(names))
    return [{"name": n, "received": n in received, "original": n in originals} for n in names]


# ---- due soon and overdue: one rule for every list and count of running cases -----


@dataclass(frozen=True)
class DueClock:
    """Today and the last promised date that still counts as due soon.

    The queue's tabs, the supervision figures and the staff digest all filter
    with it: a running (accepted) case is due soon with at most DUE_SOON_DAYS
    working days left on its promised date, overdue once today is past it. A
    suspended case's clock is stopped, so it is neither.
    """

    today: date
    due_soon_until: date

    @classmethod
    def at(cls, calendar, today: date) -> "DueClock":
        return cls(today, calendar.add_working_days(today, DUE_SOON_DAYS))

    @property
    def due_soon(self) -> Q:
        return Q(
            status=CaseStatus.ACCEPTED,
            promised_due__gte=self.today,
            promised_due__lte=self.due_soon_until,
        )

    @property
    def overdue(self) -> Q:
        return Q(status=CaseStatus.ACCEPTED, promised_due__lt=self.today)


def due_soon(qs: QuerySet[Case], clock: DueClock) -> QuerySet[Case]:
    """The cases of `qs` due soon, the nearest promised date first."""
    return qs.filter(clock.due_soon).order_by("promised_due", "pk")


def overdue(qs: QuerySet[Case], clock: DueClock) -> QuerySet[Case]:
    """The cases of `qs` past their promised date, the longest overdue first."""
    return qs.filter(clock.overdue).order_by("promised_due", "pk")


def applicant_messages(case: Case) -> tuple[list, list]:
    """The replies and correction notices for the status page, newest first:
    (current, settled). A correction notice is settled once the applicant has
    resubmitted or the case has moved on; it no longer stands on top."""
    from .constants import MessageKind

    current, settled = [], []
    for m in sorted(case.messages.all(), key=lambda m: (m.created_at, m.pk), reverse=True):
        done = m.kind == MessageKind.CORRECTION and (
            case.status != CaseStatus.CORRECTION_REQUESTED or m.round_number < case.round
        )
        (settled if done else current).append(m)
    return current, settled


def how_to_collect(case: Case) -> str:
    """Where and how the applicant gets the result of a completed case."""
    from django.utils.translation import gettext as _

    from .constants import Delivery

    if case.delivery == Delivery.POST:
        if case.address:
            return _("办理结果将邮寄至：%(address)s，请注意查收。") % {"address": case.address}
        return _("办理结果将邮寄送达，请注意查收。")
    if case.delivery == Delivery.ELECTRONIC:
        return _("已签发电子证照，可凭证照编号在政务服务平台或“浙里办”查询和下载。")
    place = case.item.place or case.department.name
    return _("请携带本人身份证件和查询号到 %(place)s 领取办理结果。") % {"place": place}


def case_documents(case: Case) -> dict[str, str]:
    """The printable documents a case has, in order: key → title."""
    from django.utils.translation import gettext as _

    docs: dict[str, str] = {}
    if case.status == CaseStatus.NOT_ACCEPTED:
        docs["refusal"] = _("不予受理决定书")
        return docs
    if case.accepted_at is not None:
        docs["acceptance"] = _("受理通知书")
    if case.status in (CaseStatus.APPROVED, CaseStatus.COMPLETED):
        docs["decision"] = _("准予行政许可决定书")
    elif case.status == CaseStatus.REJECTED:
        docs["decision"] = _("不予行政许可决定书")
    return docs or {"acceptance": _("受理通知书")}


_DOCUMENT_STATUS = {
    "refusal": (CaseStatus.NOT_ACCEPTED,),
    "acceptance": (CaseStatus.ACCEPTED,),
    "decision": (CaseStatus.APPROVED, CaseStatus.REJECTED),
}


def document_step(case: Case, doc: str):
    """The history step a document records (its date, clerk and reason)."""
    statuses = _DOCUMENT_STATUS.get(doc, ())
    steps = [h for h in case.history.all() if h.to_status in statuses]
    return steps[0] if doc == "acceptance" and steps else (steps[-1] if steps else None)
