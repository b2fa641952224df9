"""Item search: any part of a name, pinyin, initials, aliases, department.

Each item keeps a denormalised, lower-case `search_text` (name, aliases,
department, their full pinyin and initials, one per line). Matching is a
substring test on that text — which, unlike SQLite's FTS5 trigram tokenizer,
also finds one- and two-character Chinese queries, and behaves the same on
SQLite and PostgreSQL — and ranking is: exact name, prefix, substring, alias,
pinyin, department, then demand.

The published catalogue is held in each server process as a compact index,
rebuilt when the catalogue's generation token in the shared cache changes
(every item change sets a new one), so a search costs no database query
beyond reading that token.
"""

import gc
import math
import re
import threading
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from hall.core.generations import Generation
from hall.core.textsearch import (  # noqa: F401  (shared with the columns)
    highlight,
    normalise_query,
    pinyin_full,
    pinyin_initials,
)

from .models import ServiceItem

_ASCII_WORD = re.compile(r"^[a-z]+$")


def build_search_text(*, name: str, aliases: list[str], department: str) -> str:
    """Lines in a fixed order, so ranking needs no pinyin work at query time:
    name, its pinyin, its initials, department, then per alias: alias, pinyin, initials."""
    lines = [name, pinyin_full(name), pinyin_initials(name), department]
    for alias in aliases:
        lines += [alias, pinyin_full(alias), pinyin_initials(alias)]
    return "\n".join(line.lower().replace("\n", " ") for line in lines)


GENERATION = Generation("catalogue:generation")


def catalogue_changed() -> None:
    """Call after any change to published items: every process rebuilds its index."""
    GENERATION.bump()


def catalogue_generation() -> str:
    return GENERATION.current()


class _Department:
    __slots__ = ("code", "name")

    def __init__(self, name: str, code: str):
        self.name, self.code = name, code

    def __str__(self) -> str:
        return self.name


class IndexedItem:
    """What search needs of an item, and what a result row shows."""

    __slots__ = (
        "pk",
        "code",
        "name",
        "search_text",
        "lines",
        "demand",
        "online_depth",
        "promised_days",
        "statutory_days",
        "applicant_type",
        "department",
        "center_id",
    )

    def __init__(self, row: dict, departments: dict):
        self.pk = row["id"]
        self.code = row["code"]
        self.name = row["name"]
        self.search_text = row["search_text"]
        self.lines = self.search_text.split("\n")
        self.demand = row["view_count"] + 10 * row["application_count"]
        self.online_depth = row["online_depth"]
        self.promised_days = row["promised_days"]
        self.statutory_days = row["statutory_days"]
        self.applicant_type = row["applicant_type"]
        key = (row["department__name"], row["department__code"])
        self.department = departments.setdefault(key, _Department(*key))
        self.center_id = row["center_id"]

    def __str__(self) -> str:
        return self.name


_FIELDS = (
    "id",
    "code",
    "name",
    "search_text",
    "view_count",
    "application_count",
    "online_depth",
    "promised_days",
    "statutory_days",
    "applicant_type",
    "center_id",
    "department__name",
    "department__code",
)


def rows_of(qs: QuerySet) -> list[IndexedItem]:
    departments: dict = {}
    return [IndexedItem(row, departments) for row in qs.values(*_FIELDS).order_by("code")]


_index_lock = threading.Lock()
_index: dict = {"generation": None, "rows": []}


def published_index() -> list[IndexedItem]:
    generation = catalogue_generation()
    if _index["generation"] != generation:
        with _index_lock:
            if _index["generation"] != generation:
                _index["rows"] = rows_of(ServiceItem.objects.published())
                _index["generation"] = generation
                # The index lives as long as the process: keep the collector off it.
                gc.freeze()
    return _index["rows"]


@dataclass
class Hit:
    item: IndexedItem
    score: float
    reasons: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    @property
    def highlighted_name(self) -> SafeString:
        return highlight(self.item.name, self.terms)


def _score_term(term: str, item: IndexedItem) -> tuple[float, str]:
    lines = item.lines
    name, full, initials, department = (lines + ["", "", "", ""])[:4]
    aliases = lines[4:]
    if term == name:
        return 1000, "exact"
    if name.startswith(term):
        return 800, "prefix"
    pos = name.find(term)
    if pos >= 0:
        return 600 - min(pos, 50), "substring"
    if any(term in alias for alias in aliases[0::3]):
        return 500, "alias"
    if initials.startswith(term) or full.startswith(term):
        return 450, "pinyin"
    if term in initials or term in full:
        return 400, "pinyin"
    if any(term in p for i, p in enumerate(aliases) if i % 3):
        return 350, "pinyin"
    if term in department:
        return 200, "department"
    return 100, "other"


def _rank(items, terms: list[str]) -> list[Hit]:
    hits = []
    for item in items:
        score, reasons = 0.0, []
        for term in terms:
            s, why = _score_term(term, item)
            score += s
            reasons.append(why)
        # Demand breaks ties among equally good matches, never outranks a better match.
        score += min(math.log1p(item.demand), 50)
        hits.append(Hit(item=item, score=score, reasons=reasons, terms=terms))
    hits.sort(key=lambda h: (-h.score, h.item.code))
    return hits


def _matching(rows: list[IndexedItem], terms: list[str]) -> list[IndexedItem]:
    first, *rest = terms
    found = [r for r in rows if first in r.search_text]
    for term in rest:
        found = [r for r in found if term in r.search_text]
    return found


def _within_edits(a: str, b: str, k: int) -> bool:
    """Levenshtein distance of a and b is at most k (banded, early exit)."""
    if abs(len(a) - len(b)) > k:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        low = i
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            low = min(low, current[j])
        if low > k:
            return False
        previous = current
    return previous[-1] <= k


def _fuzzy_pinyin(rows: list[IndexedItem], term: str) -> str:
    """A cheap typo fallback for pinyin: a window of some item's pinyin within
    one edit (two for long queries) of the query. Only items sharing the
    query's first or last three letters are examined."""
    head, tail = term[:3], term[-3:]
    candidates = [r for r in rows if head in r.search_text or tail in r.search_text][:2000]
    for k in (1, 2) if len(term) >= 9 else (1,):
        for item in candidates:
            lines = item.lines
            pinyin_lines = lines[1:3] + [p for i, p in enumerate(lines[4:]) if i % 3]
            for line in pinyin_lines:
                for width in (len(term), len(term) + 1, len(term) - 1):
                    for start in range(0, max(0, len(line) - width) + 1):
                        window = line[start : start + width]
                        # One or two typos rarely hit both of the first two letters.
                        if window[:1] != term[:1] and window[1:2] != term[1:2]:
                            continue
                        if window and _within_edits(term, window, k):
                            return window
    return ""


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    corrected: str = ""


def search_items(
    raw_query: str | None,
    *,
    base: QuerySet | None = None,
    department_code: str = "",
    applicant_types: tuple[str, ...] = (),
) -> SearchResult:
    """Search the published catalogue (or the items of `base`, when given)."""
    query = normalise_query(raw_query)
    if not query:
        return SearchResult(query=query, hits=[])
    rows = published_index() if base is None else rows_of(base)
    if department_code:
        rows = [r for r in rows if r.department.code == department_code]
    if applicant_types:
        rows = [r for r in rows if r.applicant_type in applicant_types]
    terms = query.split(" ")[:5]
    hits = _rank(_matching(rows, terms), terms)
    if not hits and len(terms) == 1 and _ASCII_WORD.match(terms[0]) and len(terms[0]) >= 5:
        guess = _fuzzy_pinyin(rows, terms[0])
        if guess:
            return SearchResult(
                query=query, hits=_rank(_matching(rows, [guess]), [guess]), corrected=guess
            )
    return SearchResult(query=query, hits=hits)
