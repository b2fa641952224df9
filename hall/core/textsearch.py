"""Text search shared by the catalogue and the public columns.

The rules are the item search's: any part of a title finds it (one or two
Chinese characters too), as do its full pinyin and its initials; a query is
cut to MAX_QUERY characters and stripped of punctuation, never refused.

A column (policies, Q&As, results, announcements, agencies) keeps its
searchable rows in a `TextIndex`: each server process holds the rows as
compact `Entry` objects, rebuilt when the column's generation token changes
(call `changed()` after any write that changes what the public sees), so a
search costs no database query beyond reading that token. Entries may carry
a time window (`shown_from`, `shown_until`) checked at query time, so content
that publishes itself later, or expires, needs no rebuild.

Every index registers itself; the home page's grouped search asks each one.
"""

import gc
import heapq
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pypinyin import Style, lazy_pinyin

from .generations import Generation

MAX_QUERY = 50

_SPACES = re.compile(r"\s+")
# Characters with no meaning in a search; dropped so "营业执照！" still matches.
_PUNCT = re.compile(r"[\"'`~!@#$%^&*()\[\]{}<>?/\\|;:=+，。！？、；：“”‘’（）《》【】…·_\-]+")


# Names repeat across rows and across rebuilds (departments, items, issuing bodies,
# the same companies): each process converts a name once.
@lru_cache(maxsize=100_000)
def pinyin_full(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()


@lru_cache(maxsize=100_000)
def pinyin_initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()


def normalise_query(raw: str | None) -> str:
    """Cut to MAX_QUERY characters, drop punctuation and control characters."""
    text = (raw or "")[:MAX_QUERY]
    text = "".join(ch for ch in text if ch.isprintable())
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip().lower()


def search_text(title: str, *, pinyin: Iterable[str] = (), plain: Iterable[str] = ()) -> str:
    """The lower-case text an entry is matched on, one field per line: the
    title, its pinyin and initials, then each `pinyin` field with its pinyin
    and initials (short names: a department, an issuing body), then each
    `plain` field as it is (a document number, the first part of a body).
    Long plain fields are cut to 2,000 characters."""
    lines = [title, pinyin_full(title), pinyin_initials(title)]
    for value in pinyin:
        if value:
            lines += [value, pinyin_full(value), pinyin_initials(value)]
    lines += [value[:2000] for value in plain if value]
    return "\n".join(line.lower().replace("\n", " ") for line in lines)


@dataclass(slots=True)
class Entry:
    """One searchable row of a column, and what a result line shows.

    `newest` orders equally good matches (a date's ordinal, a timestamp…);
    `data` holds what the row shows as plain values — the grouped search's
    row (core/_search_hit.html) shows `label` (a department, an issuing body),
    `number` (a document number) and `on` (a date) when present; a column's
    own page may use more."""

    pk: int
    title: str
    text: str
    newest: float = 0
    url: str = ""
    data: dict | None = None
    shown_from: datetime | None = None
    shown_until: datetime | None = None
    # Where the title and its two pinyin lines end in `text`: one `find` ranks a term.
    title_end: int = field(init=False, default=0)
    pinyin_end: int = field(init=False, default=0)

    def __post_init__(self):
        text, end = self.text, -1
        for _ in range(3):
            end = text.find("\n", end + 1)
            if end < 0:
                end = len(text)
                break
            if not self.title_end:
                self.title_end = end
        self.title_end = self.title_end or end
        self.pinyin_end = end

    def shown_at(self, now: datetime) -> bool:
        return (self.shown_from is None or self.shown_from <= now) and (
            self.shown_until is None or now < self.shown_until
        )


@dataclass
class Hit:
    entry: Entry
    score: float
    terms: list[str]

    @property
    def highlighted_title(self) -> SafeString:
        return highlight(self.entry.title, self.terms)


@dataclass
class Found:
    query: str
    total: int
    hits: list[Hit]


def _score(term: str, entry: Entry) -> float:
    """Title exact 1000, title prefix 800, in the title 600 less its position,
    a pinyin or initials prefix 450, in them 400, elsewhere 100."""
    text = entry.text
    pos = text.find(term)
    if pos == 0:
        return 1000 if len(term) == entry.title_end else 800
    if pos < entry.title_end:
        return 600 - min(pos, 50)
    if pos < entry.pinyin_end:
        return 450 if text[pos - 1] == "\n" else 400
    return 100


def _best_of_one(found: list[Entry], term: str, limit: int) -> list[tuple[float, Entry]]:
    """The first `limit` of `found` (newest first) as `_score` ranks them, tier by
    tier, so that a one-character query matching a whole column scores only what
    it must: exact titles, title prefixes, then titles by position, pinyin, rest."""
    n = len(term)
    prefix = [e for e in found if e.text.startswith(term)]
    best = [(1000, e) for e in prefix if e.title_end == n]
    best += [(800, e) for e in prefix if e.title_end != n]
    if len(best) >= limit:
        return best[:limit]
    where = [e.text.find(term) for e in found]
    inside = [
        (p if p < 50 else 50, k, e)
        for k, (p, e) in enumerate(zip(where, found, strict=True))
        if 0 < p < e.title_end
    ]
    best += [(600 - p, e) for p, _k, e in heapq.nsmallest(limit - len(best), inside)]
    if len(best) >= limit:
        return best
    pinyin = [
        (0 if e.text[p - 1] == "\n" else 1, k, e)
        for k, (p, e) in enumerate(zip(where, found, strict=True))
        if e.title_end <= p < e.pinyin_end
    ]
    best += [(450 - 50 * w, e) for w, _k, e in heapq.nsmallest(limit - len(best), pinyin)]
    if len(best) < limit:
        taken = {id(e) for _s, e in best}
        best += [(100, e) for e in found if id(e) not in taken][: limit - len(best)]
    return best


class TextIndex:
    """The searchable rows of one column, held in each process."""

    def __init__(
        self,
        slug: str,
        load: Callable[[], Iterable[Entry]],
        *,
        title="",
        list_url: str = "",  # the column's list page: a path, or a URL name
        order: int = 100,
        offered: Callable[[], Callable[[Entry], bool]] | None = None,
    ):
        """`offered()`: a test of which entries the grouped search may show, made
        once per search (an agency whose qualification lapsed stays in its
        column's index, flagged, but is not offered)."""
        self.slug, self.title, self.list_url, self.order = slug, title, list_url, order
        self.offered = offered
        self._load = load
        self._generation = Generation(f"textsearch:{slug}")
        self._lock = threading.Lock()
        self._built_with: str | None = None
        self._rows: list[Entry] = []
        register(self)

    def changed(self) -> None:
        """Call after a write that changes what the public sees: every process rebuilds."""
        self._generation.bump()

    def token(self) -> str:
        """The column's generation token now: a cached page built from the column keys on it."""
        return self._generation.current()

    def entries(self) -> list[Entry]:
        token = self._generation.current()
        if self._built_with != token:
            with self._lock:
                if self._built_with != token:
                    rows = list(self._load())
                    # Newest first: ranking a one-term query only picks from the front.
                    rows.sort(key=lambda e: (e.newest, -e.pk), reverse=True)
                    self._rows = rows
                    self._built_with = token
                    # The rows live as long as the process: keep the collector off them.
                    gc.freeze()
        return self._rows

    def search(
        self,
        raw_query: str | None,
        *,
        limit: int | None = 20,
        where: Callable[[Entry], bool] | None = None,
        now: datetime | None = None,
    ) -> Found:
        """Entries matching every term of the query, best first, newest first among
        equals: `total` counts them all, `hits` holds the first `limit` (all when None).
        An empty query matches nothing."""
        query = normalise_query(raw_query)
        if not query:
            return Found(query=query, total=0, hits=[])
        terms = query.split(" ")[:5]
        now = now or timezone.now()
        first, *rest = terms
        found = [e for e in self.entries() if first in e.text]
        for term in rest:
            found = [e for e in found if term in e.text]
        found = [
            e for e in found if (e.shown_from is None and e.shown_until is None) or e.shown_at(now)
        ]
        if where is not None:
            found = [e for e in found if where(e)]
        if len(terms) == 1 and limit is not None:
            best = _best_of_one(found, first, limit)
        else:
            # pk is unique in a column, so the tuples never compare their entries.
            ranked = [(sum(_score(t, e) for t in terms), e.newest, -e.pk, e) for e in found]
            best = (
                heapq.nlargest(limit, ranked) if limit is not None else sorted(ranked, reverse=True)
            )
        return Found(
            query=query,
            total=len(found),
            hits=[Hit(entry=r[-1], score=r[0], terms=terms) for r in best],
        )


_REGISTRY: dict[str, TextIndex] = {}


def register(index: TextIndex) -> None:
    _REGISTRY[index.slug] = index


def indexes() -> list[TextIndex]:
    """Every column's index, in the order of the grouped search."""
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.slug))


def tokens() -> str:
    """Every column's token at once, for a page built from all of them."""
    return ".".join(index.token()[:8] for index in indexes())


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape `text` and wrap each occurrence of a term in <mark>."""
    spans = []
    lower = text.lower()
    for term in terms:
        if not term:
            continue
        start = lower.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = lower.find(term, start + len(term))
    if not spans:
        return mark_safe(escape(text))  # noqa: S308  (escaped just now)
    spans.sort()
    merged = [list(spans[0])]
    for s, e in spans[1:]:
        if s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece is escaped)
