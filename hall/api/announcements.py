"""The 中心公告 column for other platforms: announcements and approval results."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from hall.announcements import selectors
from hall.announcements.constants import Category
from hall.announcements.search import ANNOUNCEMENTS
from hall.core.forms import FIRST_YEAR, LAST_YEAR, clean_search, parse_id

router = Router(tags=["中心公告 announcements"])
results_router = Router(tags=["中心公告 announcements"])


class AnnouncementOut(Schema):
    id: int
    category: str
    category_label: str
    center: str
    title: str
    body: str
    pinned: bool
    published_at: str
    expires_at: str | None
    url: str


class AnnouncementList(Schema):
    count: int
    query: str
    results: list[AnnouncementOut]


class ResultOut(Schema):
    id: int
    item: str
    item_code: str
    department: str
    applicant: str
    values: dict
    decided_on: str
    published_at: str
    withdrawn: bool
    withdrawn_on: str | None
    withdraw_reason: str
    url: str


class ResultList(Schema):
    count: int
    query: str
    results: list[ResultOut]


# Past this an offset finds nothing anyway; a larger one would overflow the query.
MAX_OFFSET = 10_000_000


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, 100)), max(0, min(offset, MAX_OFFSET))


def _id(raw: str, name: str) -> int | None:
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        raise HttpError(422, _("%(name)s编号无效。") % {"name": name})
    return value


def _day(raw: str, name: str) -> date | None:
    if not raw:
        return None
    try:
        value = date.fromisoformat(clean_search(raw, 10))
    except ValueError:
        raise HttpError(422, _("%(name)s格式应为 2026-01-31。") % {"name": name}) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise HttpError(
            422,
            _("%(name)s应在 %(first)d 年至 %(last)d 年之间。")
            % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


def _ordered(qs, pks):
    rows = qs.in_bulk(pks)
    return [rows[pk] for pk in pks if pk in rows]


@router.get("", response=AnnouncementList, summary="中心公告 Announcements")
def list_announcements(
    request, q: str = "", category: str = "", center: str = "", limit: int = 20, offset: int = 0
):
    """Public announcements, pinned first then newest; `q` searches titles
    (one or two characters, pinyin, initials) and bodies; `category` is one of
    notice, licence_results, guide_change, other; `center` a center id."""
    limit, offset = _page(limit, offset)
    category = clean_search(category, 20)
    if category and category not in Category.values:
        raise HttpError(
            422, _("类别无效，可选：%(values)s") % {"values": "、".join(Category.values)}
        )
    center_id = _id(center, _("中心"))
    qs = selectors.public_announcements()
    if category:
        qs = qs.filter(category=category)
    if center_id:
        qs = qs.filter(center_id=center_id)
    query = clean_search(q, 200)
    if query:
        found = ANNOUNCEMENTS.search(
            query,
            limit=None,
            where=lambda e: (
                (not category or e.data["category"] == category)
                and (not center_id or e.data["center"] == center_id)
            ),
        )
        pks = [h.entry.pk for h in found.hits]
        count, rows, query = len(pks), _ordered(qs, pks[offset : offset + limit]), found.query
    else:
        count, rows = qs.count(), list(qs[offset : offset + limit])
    return {
        "count": count,
        "query": query,
        "results": [
            {
                "id": a.pk,
                "category": a.category,
                "category_label": str(a.get_category_display()),
                "center": a.center.name,
                "title": a.title,
                "body": a.body,
                "pinned": a.pinned,
                "published_at": timezone.localtime(a.publish_at).isoformat(),
                "expires_at": timezone.localtime(a.expires_at).isoformat()
                if a.expires_at
                else None,
                "url": f"/announcements/{a.pk}/",
            }
            for a in rows
        ],
    }


@results_router.get("", response=ResultList, summary="许可结果公示 Approval results")
def list_results(
    request,
    q: str = "",
    item: str = "",
    department: str = "",
    date_from: str = "",
    date_to: str = "",
    limit: int = 20,
    offset: int = 0,
):
    """Published approval results (双公示), newest decision first. Natural
    persons are masked; a withdrawn result says so and shows no values."""
    from hall.announcements.views import _filtered_results

    limit, offset = _page(limit, offset)
    data = {
        "q": clean_search(q, 200),
        "item": _id(item, _("事项")),
        "department": _id(department, _("部门")),
        "date_from": _day(date_from, _("起始日期")),
        "date_to": _day(date_to, _("截止日期")),
    }
    if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
        raise HttpError(422, _("起始日期不能晚于截止日期。"))
    qs, found = _filtered_results(data)
    if found is not None:
        pks = [h.entry.pk for h in found.hits]
        count, rows, query = len(pks), _ordered(qs, pks[offset : offset + limit]), found.query
    else:
        count, rows, query = qs.count(), list(qs[offset : offset + limit]), ""
    return {
        "count": count,
        "query": query,
        "results": [
            {
                "id": e.pk,
                "item": e.item.name,
                "item_code": e.item.code,
                "department": e.department.name,
                "applicant": "" if e.withdrawn_at else e.applicant,
                "values": {} if e.withdrawn_at else dict(e.values),
                "decided_on": timezone.localdate(e.decided_at).isoformat(),
                "published_at": timezone.localtime(e.shown_from).isoformat(),
                "withdrawn": e.withdrawn_at is not None,
                "withdrawn_on": timezone.localdate(e.withdrawn_at).isoformat()
                if e.withdrawn_at
                else None,
                "withdraw_reason": e.withdraw_reason,
                "url": f"/announcements/results/{e.pk}/",
            }
            for e in rows
        ],
    }
