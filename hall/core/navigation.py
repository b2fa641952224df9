"""The intranet's menu, arrival notices and page panels: each app registers its
pages (in AppConfig.ready), each behind the right it needs; a user sees the
entries their roles grant. Panels let an app add a section to another app's page
without that page naming it: dependencies keep pointing one way in templates too."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Entry:
    url_name: str
    perm: str | None
    title: str
    text: str
    order: int
    badge: Callable[..., int] | None = None


_ENTRIES: dict[str, Entry] = {}


def register(url_name: str, perm: str | None, title, text, order: int = 100, badge=None) -> None:
    """`badge(user) -> int`, when given, is a count shown beside the entry (unread
    messages, notices to read); 0 shows nothing. It runs on every staff page, so it
    must be one cheap query."""
    _ENTRIES[url_name] = Entry(url_name, perm, title, text, order, badge)


def entries_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {
            "url": reverse(e.url_name),
            "title": e.title,
            "text": e.text,
            "badge": e.badge(user) if e.badge else 0,
        }
        for e in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.url_name))
        if e.perm is None or user.has_perm(e.perm)
    ]


def staff_menu(request):
    """Context processor: the menu of the signed-in staff member."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not request.path.startswith(("/staff", "/admin"))
    ):
        return {}
    return {"STAFF_MENU": entries_for(user)}


_NOTICES: list = []


def register_notice(func) -> None:
    """`func(user) -> list[str]`: warnings an app wants a staff member to see on arrival."""
    _NOTICES.append(func)


def notices_for(user) -> list[str]:
    return [text for func in _NOTICES for text in func(user)]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]
    order: int


_PANELS: dict[str, list[Panel]] = {}


def register_panel(slot: str, template: str, context, order: int = 100) -> None:
    """Add a section to the pages that render `slot` (`{% panels slot key=value %}`).

    `context(request, **values)` gets the values the page passes to the slot and
    returns the template's context, or None when the section is not for this user.
    """
    panels = [p for p in _PANELS.get(slot, []) if p.template != template]
    panels.append(Panel(template, context, order))
    _PANELS[slot] = sorted(panels, key=lambda p: (p.order, p.template))


def panels_for(slot: str) -> list[Panel]:
    return list(_PANELS.get(slot, []))
