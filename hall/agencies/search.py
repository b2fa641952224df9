"""The directory's search: name (with its pinyin and initials), categories and
service scope, by the shared column search (hall/core/textsearch.py).

Each entry's data keeps what the public list shows and filters on: the
categories, the linked items, the center and the last qualified day (checked
at query time, so an agency drops out of the default list the day after its
qualification lapses without a rebuild)."""

from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.core.textsearch import Entry, TextIndex, search_text

from .constants import AgencyCategory
from .models import Agency, sorted_categories


def _load():
    labels = {value: str(label) for value, label in AgencyCategory.choices}
    agencies = (
        Agency.objects.filter(is_active=True)
        .only(
            "id", "name", "scope", "center_id", "address", "phone", "qualified_until", "updated_at"
        )
        .prefetch_related("category_rows")
        .order_by("id")
    )
    through = Agency.items.through.objects.filter(agency__is_active=True).values_list(
        "agency_id", "serviceitem_id"
    )
    items: dict[int, list[int]] = {}
    for agency_id, item_id in through.iterator(chunk_size=2000):
        items.setdefault(agency_id, []).append(item_id)
    for agency in agencies.iterator(chunk_size=500):
        codes = sorted_categories(c.category for c in agency.category_rows.all())
        names = [labels.get(c, c) for c in codes]
        until = agency.qualified_until
        yield Entry(
            pk=agency.pk,
            title=agency.name,
            text=search_text(agency.name, pinyin=names, plain=[agency.scope]),
            newest=agency.updated_at.timestamp(),
            url=reverse("agencies:detail", args=[agency.pk]),
            data={
                "categories": codes,
                "items": items.get(agency.pk, []),
                "center": agency.center_id,
                "until": until.toordinal() if until else None,
                "address": agency.address,
                "phone": agency.phone,
                "scope": agency.scope[:120],
                "label": "、".join(names),
            },
        )


def offered_on(entry: Entry, today_ordinal: int) -> bool:
    until = (entry.data or {}).get("until")
    return until is None or until >= today_ordinal


def offered_today():
    """What is offered today: the agencies still qualified."""
    return partial(offered_on, today_ordinal=timezone.localdate().toordinal())


INDEX = TextIndex(
    "agencies",
    _load,
    title=_("中介服务"),
    list_url="/agencies/",
    order=60,
    offered=offered_today,
)
