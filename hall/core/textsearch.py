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
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pypinyin import Style, lazy_pinyin

from .generations import Generation

MAX_QUERY = 50

_SPACES = re.compile(r"\s+")
# Characters with no meaning in a search; dropped so "营业执照！" still matches.
_PUNCT = re.compile(r"[\"'`~!@#$%^&*()\[\]{}<>?/\\|;:=+，。！？、；：“”‘’（）《》【】…·_\-]+")


def pinyin_full(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()


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

    `newest` orders equally good matches (a date's ordinal, a timestamp…),
    `data` holds what the row shows (department, date, number…) as plain values."""

    pk: int
    title: str
    text: str
    newest: float = 0
    url: str = ""
    data: dict | None = None
    shown_from: datetime | None = None
    shown_until: datetime | None = None

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
    title = entry.title.lower()
    if term == title:
        return 1000
    if title.startswith(term):
        return 800
    pos = title.find(term)
    if pos >= 0:
        return 600 - min(pos, 50)
    lines = entry.text.split("\n", 3)
    if any(line.startswith(term) for line in lines[1:3]):
        return 450
    if any(term in line for line in lines[1:3]):
        return 400
    return 100


class TextIndex:
    """The searchable rows of one column, held in each process."""

    def __init__(
        self,
        slug: str,
        load: Callable[[], Iterable[Entry]],
        *,
        title="",
        list_url: str = "",
        order: int = 100,
    ):
        self.slug, self.title, self.list_url, self.order = slug, title, list_url, order
        self._load = load
        self._generation = Generation(f"textsearch:{slug}")
        self._lock = threading.Lock()
        self._built_with: str | None = None
        self._rows: list[Entry] = []
        register(self)

    def changed(self) -> None:
        """Call after a write that changes what the public sees: every process rebuilds."""
        self._generation.bump()

    def entries(self) -> list[Entry]:
        token = self._generation.current()
        if self._built_with != token:
            with self._lock:
                if self._built_with != token:
                    self._rows = list(self._load())
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
        found = []
        for entry in self.entries():
            text = entry.text
            if (
                all(term in text for term in terms)
                and entry.shown_at(now)
                and (where is None or where(entry))
            ):
                found.append(entry)
        ranked = ((sum(_score(term, e) for term in terms), e.newest, -e.pk, e) for e in found)
        key = lambda r: (r[0], r[1], r[2])  # noqa: E731
        best = (
            heapq.nlargest(limit, ranked, key=key)
            if limit is not None
            else sorted(ranked, key=key, reverse=True)
        )
        return Found(
            query=query,
            total=len(found),
            hits=[Hit(entry=r[3], score=r[0], terms=terms) for r in best],
        )


_REGISTRY: dict[str, TextIndex] = {}


def register(index: TextIndex) -> None:
    _REGISTRY[index.slug] = index


def indexes() -> list[TextIndex]:
    """Every column's index, in the order of the grouped search."""
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.slug))


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
