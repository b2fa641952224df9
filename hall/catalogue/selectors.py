"""Reads with rules: what the public and each staff member may see of the catalogue."""

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from hall.core.permissions import scoped

from .constants import FilingStatus
from .models import Filing, Material, Regulation, ServiceItem

# ---- public ------------------------------------------------------------------


def published_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.published().select_related("department", "center")


def most_requested(limit: int = 12, center=None) -> list[ServiceItem]:
    """The most applied-for items of one center (all centers when None), one per name:
    every county publishes 出生医学证明补发换发, the visitor needs it once."""
    qs = published_items().order_by("-application_count", "-view_count", "code")
    if center is not None:
        qs = qs.filter(center=center)
    qs = qs.only("code", "name", "online_depth", "department__name", "center__short_name")
    seen, items = set(), []
    for item in qs[: limit * 8].iterator():
        if item.name not in seen:
            seen.add(item.name)
            items.append(item)
            if len(items) == limit:
                break
    return items


def chosen_center(centers, value):
    """The center a visitor chose (`?center=<pk>`), else the city's: any other value counts as none."""
    chosen = next((c for c in centers if str(c.pk) == (value or "")), None)
    return chosen or next((c for c in centers if c.parent_id is None), None)


def item_for_guide(code: str) -> ServiceItem | None:
    return (
        published_items()
        .select_related("window")
        .prefetch_related(
            "themes",
            "faqs",
            "special_procedures",
            Prefetch("materials", queryset=Material.objects.order_by("sort_order", "id")),
            "bases__article__regulation",
        )
        .filter(code=code)
        .first()
    )


def sorted_bases(item: ServiceItem) -> list:
    """Legal bases, highest authority first (法律 → 规范性文件)."""
    return sorted(
        item.bases.all(),
        key=lambda b: (
            b.article.regulation.level_rank,
            b.article.regulation.title,
            b.article.sort_order,
        ),
    )


def published_regulations() -> QuerySet[Regulation]:
    return Regulation.objects.all()


# ---- staff ---------------------------------------------------------------------


def items_editable_by(user) -> QuerySet[ServiceItem]:
    """Items a staff member may manage: their department's, or their centers'."""
    return scoped(ServiceItem.objects.select_related("department", "center"), user)


def regulations_editable_by(user) -> QuerySet[Regulation]:
    return scoped(Regulation.objects.select_related("department", "center"), user)


def filings_visible_to(user) -> QuerySet[Filing]:
    return scoped(
        Filing.objects.select_related("department", "center", "changed_by", "reviewed_by"), user
    )


def pending_filing_count(user) -> int:
    return filings_visible_to(user).filter(status=FilingStatus.PENDING).count()


# ---- completeness ------------------------------------------------------------

_FORM_NAME = re.compile(r"申请书|申请表|登记表|审批表|申报表|备案表")


@dataclass
class Completeness:
    score: int
    gaps: list[str]


def completeness(item: ServiceItem) -> Completeness:
    """Share of the guide elements that are filled, and what is missing.

    Expects materials, bases and faqs prefetched when called for many items.
    """
    from django.utils.translation import gettext as _

    materials = list(item.materials.all())
    checks = [
        (bool(item.legal_basis_text or list(item.bases.all())), _("缺少设定依据")),
        (bool(item.conditions.strip()), _("缺少受理条件")),
        (bool(item.procedure.strip()), _("缺少办理程序")),
        (bool(materials), _("缺少申报材料")),
        (item.is_free or bool(item.fee_standard and item.fee_basis), _("收费标准或依据不全")),
        (bool(item.result_name), _("缺少办理结果")),
        (bool(item.place or item.window_id), _("缺少办理地点或窗口")),
        (bool(item.hours), _("缺少办理时间")),
        (bool(item.contact_phone), _("缺少咨询电话")),
        (bool(item.complaint_phone), _("缺少投诉电话")),
    ]
    forms = [m for m in materials if _FORM_NAME.search(m.name)]
    for m in forms:
        checks.append((bool(m.template), _("材料“%(name)s”缺少空白表格") % {"name": m.name}))
        checks.append((bool(m.example), _("材料“%(name)s”缺少填写范例") % {"name": m.name}))
    filled = sum(1 for ok, _gap in checks if ok)
    return Completeness(
        score=round(100 * filled / len(checks)), gaps=[gap for ok, gap in checks if not ok]
    )


def items_with_completeness(qs: QuerySet[ServiceItem]) -> list[tuple[ServiceItem, Completeness]]:
    qs = qs.prefetch_related("materials", "bases").order_by("department__sort_order", "code")
    return [(item, completeness(item)) for item in qs]


def completeness_by_department(qs: QuerySet[ServiceItem]) -> list[dict]:
    rows: dict[int, dict] = {}
    for item, c in items_with_completeness(qs):
        row = rows.setdefault(
            item.department_id,
            {"department": item.department, "items": 0, "total": 0, "complete": 0, "gaps": 0},
        )
        row["items"] += 1
        row["total"] += c.score
        row["complete"] += c.score == 100
        row["gaps"] += len(c.gaps)
    out = []
    for row in rows.values():
        row["average"] = round(row["total"] / row["items"]) if row["items"] else 0
        out.append(row)
    return sorted(out, key=lambda r: (r["average"], r["department"].sort_order))


def department_item_counts(center_ids=None) -> QuerySet:
    from hall.org.models import Department

    qs = Department.objects.filter(is_active=True).select_related("center")
    if center_ids is not None:
        qs = qs.filter(center_id__in=center_ids)
    return qs.annotate(item_count=Count("items", filter=Q(items__is_published=True))).filter(
        item_count__gt=0
    )
