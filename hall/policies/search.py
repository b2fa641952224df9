"""The column's search (hall/core/textsearch.py): the same rules as the item
search. Title and issuing body are matched with their pinyin and initials,
the document number as written. Registered from PoliciesConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hall.core.textsearch import Entry, TextIndex, search_text


def _load():
    from .models import PolicyDocument

    rows = (
        PolicyDocument.objects.published()
        .order_by()
        .values_list(
            "pk",
            "title",
            "issuer",
            "doc_number",
            "issued_on",
            "kind",
            "status",
            "department_id",
            "department__name",
        )
    )
    base = reverse("policies:list")
    for pk, title, issuer, number, issued_on, kind, status, dept_id, dept in rows.iterator():
        yield Entry(
            pk=pk,
            title=title,
            text=search_text(title, pinyin=[issuer], plain=[number]),
            newest=issued_on.toordinal(),
            url=f"{base}{pk}/",
            data={
                "number": number,
                "issuer": issuer,
                "date": issued_on.isoformat(),
                "year": issued_on.year,
                "kind": kind,
                "status": status,
                "department": dept_id,
                "department_name": dept,
                "label": issuer,
                "on": issued_on,
            },
        )


INDEX = TextIndex("policies", _load, title=_("政策文件"), list_url="/policies/", order=20)
