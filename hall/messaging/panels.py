"""The messages' section of the staff landing page (registered in apps.py)."""

from . import selectors
from .constants import LANDING_LIMIT, RIGHT_USE


def landing_panel(request) -> dict | None:
    """The unread threads, newest first; nothing when there are none (the count
    is the menu badge's, asked once per request)."""
    user = request.user
    if not user.has_perm(RIGHT_USE) or not selectors.unread_count(user):
        return None
    threads = selectors.unread_latest(user, LANDING_LIMIT)
    return {"messaging_unread": selectors.unread_count(user), "messaging_threads": threads}


def badge(user) -> int:
    return selectors.unread_count(user)
