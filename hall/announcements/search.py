"""The column's two search indexes (hall/core/textsearch.py): announcements
and approval results. Both carry their time window, checked at query time, so
a result that publishes itself after its hold, or an announcement that
expires, needs no rebuild."""

from functools import lru_cache

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.core.textsearch import Entry, TextIndex, pinyin_full, pinyin_initials, search_text


def _announcement_entries():
    from .models import Announcement

    rows = Announcement.objects.values_list(
        "pk", "title", "body", "category", "center_id", "center__short_name", "pinned",
        "publish_at", "expires_at",
    )  # fmt: skip
    for pk, title, body, category, center_id, center, pinned, publish_at, expires_at in rows:
        yield Entry(
            pk=pk,
            title=title,
            text=search_text(title, pinyin=[center], plain=[body[:500]]),
            newest=publish_at.timestamp() + (1e10 if pinned else 0),
            url=reverse("announcements:detail", args=[pk]),
            data={
                "category": category,
                "center": center_id,
                "day": timezone.localdate(publish_at).isoformat(),
                "label": center,
                "on": timezone.localdate(publish_at),
            },
            shown_from=publish_at,
            shown_until=expires_at,
        )


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    return pinyin_full(text), pinyin_initials(text)


def _result_entries():
    from .models import ResultEntry

    rows = ResultEntry.objects.values_list(
        "pk", "applicant", "item_id", "item__name", "department_id", "department__name",
        "decided_at", "shown_from", "withdrawn_at", "values",
    ).iterator(chunk_size=2000)  # fmt: skip
    for pk, applicant, item_id, item, dept_id, dept, decided, shown_from, withdrawn, values in rows:
        if withdrawn is not None:
            applicant, plain = "", ""
        else:
            plain = " ".join(v for code, v in values if code in ("credit_code", "licence_number"))
        title = f"{item} {applicant}".strip()
        item_py, dept_py, name_py = _pinyin(item), _pinyin(dept), _pinyin(applicant)
        lines = [
            title,
            f"{item_py[0]} {name_py[0]}",
            f"{item_py[1]} {name_py[1]}",
            dept,
            dept_py[0],
            dept_py[1],
            plain,
        ]
        yield Entry(
            pk=pk,
            title=title,
            text="\n".join(line.lower() for line in lines),
            newest=decided.timestamp(),
            url=f"/announcements/results/{pk}/",
            data={
                "item": item_id,
                "department": dept_id,
                "day": timezone.localdate(decided).isoformat(),
                "label": dept,
                "on": timezone.localdate(decided),
            },
            shown_from=shown_from,
        )


ANNOUNCEMENTS = TextIndex(
    "announcements",
    _announcement_entries,
    title=_("中心公告"),
    list_url="/announcements/",
    order=40,
)
RESULTS = TextIndex(
    "results",
    _result_entries,
    title=_("许可结果公示"),
    list_url="/announcements/results/",
    order=45,
)
