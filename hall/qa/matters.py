"""The matters no window of the hall handles (pensions, hukou, housing,
civil-service recruitment…), kept as data: the dispatcher answers a question
about one of them with where to turn."""

import json
from functools import cache
from pathlib import Path

_FILE = Path(__file__).parent / "demo_data" / "non_window_matters.json"


@cache
def matters() -> tuple[dict, ...]:
    return tuple(json.loads(_FILE.read_text(encoding="utf-8")))


def matter(code: str) -> dict | None:
    return next((m for m in matters() if m["code"] == code), None)


def matching(text: str, limit: int = 3) -> list[dict]:
    """Matters whose name shares a two-character word with `text`, best first."""
    text = text or ""
    scored = []
    for m in matters():
        name = m["matter"]
        hits = sum(1 for i in range(len(name) - 1) if name[i : i + 2] in text)
        if hits:
            scored.append((hits, m["code"], m))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [m for _h, _c, m in scored[:limit]]
