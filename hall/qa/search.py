"""The column's search: published Q&As, by subject, department, question and answer."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.core.textsearch import Entry, TextIndex, search_text


def _load():
    from .selectors import published

    rows = published().values(
        "pk",
        "number",
        "published_subject",
        "published_question",
        "answer",
        "referral",
        "published_at",
        "department_id",
        "department__name",
        "center__name",
    )
    for r in rows.iterator(chunk_size=2000):
        title = r["published_subject"]
        # A referral is the center's answer: the center stands for the department.
        department = r["department__name"] or r["center__name"]
        yield Entry(
            pk=r["pk"],
            title=title,
            text=search_text(
                title,
                pinyin=[department, r["referral"]],
                plain=[r["published_question"][:500], r["answer"][:500]],
            ),
            newest=r["published_at"].timestamp() if r["published_at"] else 0,
            url=f"/qa/{r['pk']}/",
            data={
                "department": department,
                "department_id": r["department_id"],
                "date": r["published_at"].date().isoformat() if r["published_at"] else "",
                "label": department,
                "on": timezone.localdate(r["published_at"]) if r["published_at"] else None,
            },
        )


INDEX = TextIndex("qa", _load, title=_("网上答疑"), list_url="/qa/", order=30)


def generation() -> str:
    """The index's token: the column's cached pages are kept under it."""
    return INDEX._generation.current()
