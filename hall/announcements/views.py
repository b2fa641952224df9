"""The public 中心公告 column: announcements, approval results (双公示), feeds, export."""

from datetime import datetime, time, timedelta

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from hall.catalogue.constants import ResultField
from hall.catalogue.models import ServiceItem
from hall.core.files import private_file_response
from hall.core.pagecache import cache_public_page
from hall.org.models import Center, Department
from hall.supervision import exports

from . import selectors
from .constants import EXPORT_MAX_ROWS, FEED_SIZE, PAGE_SIZE, Category
from .forms import AnnouncementFilterForm, ResultFilterForm
from .models import Attachment, ResultEntry
from .search import ANNOUNCEMENTS, RESULTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELD_LABELS = dict(ResultField.choices)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _by_pks(qs, pks: list[int]) -> list:
    rows = qs.in_bulk(pks)
    return [rows[pk] for pk in pks if pk in rows]


class _Hits:
    """A page source over search hits: the paginator slices pks, rows load per page."""

    def __init__(self, qs, pks):
        self.qs, self.pks = qs, pks

    def count(self):
        return len(self.pks)

    def __len__(self):
        return len(self.pks)

    def __getitem__(self, index):
        return _by_pks(self.qs, self.pks[index])


# ---- announcements -----------------------------------------------------------------


# Entries show and expire by the clock, not only by a change: cached pages live a minute.
CLOCK_TIMEOUT = 60


def _announcements_generation() -> str:
    return ANNOUNCEMENTS.token()


def _results_generation() -> str:
    return RESULTS.token()


@require_GET
@cache_public_page(_announcements_generation, timeout=CLOCK_TIMEOUT)
def index(request):
    form = AnnouncementFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.public_announcements()
    category, center = data.get("category") or "", data.get("center")
    q = data.get("q") or ""
    if category:
        qs = qs.filter(category=category)
    if center:
        qs = qs.filter(center_id=center)
    found = None
    if q:

        def where(e):
            return (not category or e.data["category"] == category) and (
                not center or e.data["center"] == center
            )

        found = ANNOUNCEMENTS.search(q, limit=None, where=where)
        source = _Hits(qs, [h.entry.pk for h in found.hits])
    else:
        source = qs
    page = Paginator(source, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "announcements/index.html",
        {
            "form": form,
            "page": page,
            "found": found,
            "query": _query(request),
            "categories": Category.choices,
            "centers": Center.objects.order_by("sort_order"),
            "latest_results": selectors.public_results()[:5],
        },
    )


@require_GET
@cache_public_page(_announcements_generation, timeout=CLOCK_TIMEOUT)
def detail(request, pk: int):
    announcement = get_object_or_404(selectors.public_announcements(), pk=pk)
    return render(
        request,
        "announcements/detail.html",
        {"a": announcement, "attachments": announcement.attachments.all()},
    )


@require_GET
def attachment(request, pk: int, file_id: int):
    """A file of a public announcement, or of one the signed-in staff manage."""
    record = get_object_or_404(Attachment.objects.select_related("announcement"), pk=file_id)
    if record.announcement_id != pk:
        raise Http404
    if not record.announcement.is_public():
        user = request.user
        if not (
            user.is_authenticated
            and user.has_perm("announcements.view_announcement")
            and selectors.announcements_managed_by(user).filter(pk=pk).exists()
        ):
            raise Http404
    return private_file_response(record.file, record.original_name, kind=record.kind)


# ---- results -----------------------------------------------------------------------


def _result_filters(request):
    form = ResultFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    return form, (form.cleaned_data if request.GET else {})


def _filtered_results(data: dict):
    qs = selectors.public_results()
    if data.get("item"):
        qs = qs.filter(item_id=data["item"])
    if data.get("department"):
        qs = qs.filter(department_id=data["department"])
    if data.get("date_from"):
        qs = qs.filter(decided_at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(decided_at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    q = data.get("q") or ""
    if not q:
        return qs, None
    start = data["date_from"].isoformat() if data.get("date_from") else ""
    end = data["date_to"].isoformat() if data.get("date_to") else ""

    def where(e):
        d = e.data
        return (
            (not data.get("item") or d["item"] == data["item"])
            and (not data.get("department") or d["department"] == data["department"])
            and (not start or d["day"] >= start)
            and (not end or d["day"] <= end)
        )

    found = RESULTS.search(q, limit=None, where=where)
    return qs, found


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@require_GET
@cache_public_page(_results_generation, timeout=CLOCK_TIMEOUT)
def results(request):
    form, data = _result_filters(request)
    found = None
    if data is None:
        page = Paginator(ResultEntry.objects.none(), PAGE_SIZE).get_page(1)
    else:
        qs, found = _filtered_results(data)
        source = qs if found is None else _Hits(qs, [h.entry.pk for h in found.hits])
        page = Paginator(source, PAGE_SIZE).get_page(request.GET.get("page"))
    flagged = ServiceItem.objects.filter(publish_decisions=True).order_by("name")
    return render(
        request,
        "announcements/results.html",
        {
            "form": form,
            "page": page,
            "found": found,
            "query": _query(request),
            "items": flagged.only("pk", "name"),
            "departments": Department.objects.filter(
                pk__in=flagged.values("department_id")
            ).select_related("center"),
            "labels": FIELD_LABELS,
        },
    )


@require_GET
@cache_public_page(_results_generation, timeout=CLOCK_TIMEOUT)
def result_detail(request, pk: int):
    entry = get_object_or_404(selectors.public_results(), pk=pk)
    rows = [(FIELD_LABELS.get(code, code), value) for code, value in entry.values]
    return render(request, "announcements/result_detail.html", {"entry": entry, "rows": rows})


def _export_rows(entries):
    for e in entries:
        values = dict(e.values) if e.withdrawn_at is None else {}
        yield [
            e.item.name,
            e.department.name,
            values.get("applicant", "") if e.withdrawn_at is None else "",
            values.get("credit_code", ""),
            values.get("licence_number", ""),
            values.get("content", ""),
            timezone.localtime(e.decided_at).date(),
            values.get("validity", ""),
            values.get("address", ""),
            timezone.localtime(e.shown_from),
            _("已撤回：%(reason)s") % {"reason": e.withdraw_reason} if e.withdrawn_at else "",
        ]


@require_GET
def results_export(request):
    """The filtered results as a streamed workbook, at most EXPORT_MAX_ROWS rows."""
    form, data = _result_filters(request)
    if data is None:
        return HttpResponseBadRequest(
            _("筛选条件有误，请回到公示页面更正后再导出。"),
            content_type="text/plain; charset=utf-8",
        )
    qs, found = _filtered_results(data)
    if found is not None:
        pks = [h.entry.pk for h in found.hits][:EXPORT_MAX_ROWS]
        entries = (
            e for chunk in range(0, len(pks), 1000) for e in _by_pks(qs, pks[chunk : chunk + 1000])
        )
    else:
        entries = qs[:EXPORT_MAX_ROWS].iterator(chunk_size=1000)
    header = [
        _("事项"),
        _("许可机关"),
        _("企业名称/申请人"),
        _("统一社会信用代码"),
        _("许可证号"),
        _("许可内容"),
        _("决定日期"),
        _("有效期"),
        _("地址"),
        _("公示时间"),
        _("状态"),
    ]
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = StreamingHttpResponse(
        exports.stream_workbook(_("许可结果公示"), header, _export_rows(entries)),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="results-{stamp}.xlsx"'
    return response


# ---- feeds -------------------------------------------------------------------------


class AnnouncementFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("中心公告")
    link = "/announcements/"
    subtitle = gettext_lazy("行政服务中心的通知公告")

    def items(self):
        return selectors.public_announcements().order_by("-publish_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body[:500]

    def item_link(self, item):
        return f"/announcements/{item.pk}/"

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at


class ResultFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("许可结果公示")
    link = "/announcements/results/"
    subtitle = gettext_lazy("行政许可决定的公示（双公示）")

    def items(self):
        return selectors.public_results()[:FEED_SIZE]

    def item_title(self, item):
        if item.withdrawn_at:
            return _("%(item)s（已撤回）") % {"item": item.item.name}
        return f"{item.item.name} {item.applicant}"

    def item_description(self, item):
        if item.withdrawn_at:
            return _("该公示已于 %(day)s 撤回：%(reason)s") % {
                "day": timezone.localdate(item.withdrawn_at).isoformat(),
                "reason": item.withdraw_reason,
            }
        return "；".join(f"{FIELD_LABELS.get(c, c)}：{v}" for c, v in item.values if v)

    def item_link(self, item):
        return f"/announcements/results/{item.pk}/"

    def item_pubdate(self, item):
        return item.shown_from
