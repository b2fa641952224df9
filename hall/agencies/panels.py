"""The directory's sections on other pages: an item's guide lists the qualified
agencies linked to it; the home page lists the categories with their counts."""

from django.utils import timezone

from . import selectors
from .constants import GUIDE_PANEL_LIMIT, AgencyCategory
from .search import INDEX, offered_on


def guide(request, item=None, **_values):
    if item is None or getattr(item, "pk", None) is None:
        return None
    agencies = list(selectors.qualified_for_item(item)[: GUIDE_PANEL_LIMIT + 1])
    if not agencies:
        return None
    return {
        "guide_agencies": agencies[:GUIDE_PANEL_LIMIT],
        "guide_agencies_more": len(agencies) > GUIDE_PANEL_LIMIT,
    }


def category_counts() -> list[tuple[str, str, int]]:
    """(code, label, how many agencies are offered) for every category, from the index."""
    today = timezone.localdate().toordinal()
    counts = dict.fromkeys(AgencyCategory.values, 0)
    for entry in INDEX.entries():
        if offered_on(entry, today):
            for code in entry.data["categories"]:
                if code in counts:
                    counts[code] += 1
    return [(code, label, counts[code]) for code, label in AgencyCategory.choices]


def home(request, **_values):
    counts = [row for row in category_counts() if row[2]]
    if not counts:
        return None
    return {"agency_categories": counts}
